import { Alert, Button, Code, Divider, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { login, sessionQuery, setupStatusQuery, signedIn } from '../../api/auth.ts';
import { ApiError } from '../../api/client.ts';
import { signInProvidersQuery, SSO_ERROR_TEXT } from '../../api/sso.ts';
import { navigate, safeNext, useSearch } from '../../app/router.ts';
import { describeError } from '../../lib/errors.ts';
import { useNow } from '../../lib/useNow.ts';

/** Seconds the server asked us to wait (429 with Retry-After), counted down from when the attempt was made. */
function useThrottle(error: unknown, submittedAt: number): { throttled: boolean; seconds: number } {
  const now = useNow(1_000);
  if (!(error instanceof ApiError) || error.status !== 429) return { throttled: false, seconds: 0 };
  const wait = error.retryAfterSeconds ?? 60;
  const seconds = Math.min(wait, Math.max(0, Math.ceil((submittedAt + wait * 1_000 - now) / 1_000)));
  return { throttled: true, seconds };
}

function ThrottleMessage({ seconds }: { seconds: number }) {
  return (
    <Alert role="alert" color="orange" variant="light" icon={<IconAlertCircle aria-hidden />}>
      Too many failed sign-in attempts.{' '}
      {seconds > 0 ? `Try again in ${seconds} s.` : 'You can try again now.'}
    </Alert>
  );
}

/** First run: nobody can sign in yet; the server printed a one-time setup link. */
function SetupNeeded() {
  return (
    <Alert
      color="indigo"
      variant="light"
      icon={<IconInfoCircle aria-hidden />}
      title="Siaga has no users yet"
    >
      <Text size="sm" mb="xs">
        Open the setup link the server printed when it started to create the first administrator. It looks
        like <Code>http://…/setup#token=setup_…</Code> and works once, for 24 hours.
      </Text>
      <Text size="sm">
        Lost it? Restart the server for a new link, or run <Code>siaga admin create</Code> on the server.
      </Text>
    </Alert>
  );
}

export function LoginPage() {
  useDocumentTitle('Sign in · Siaga');
  const queryClient = useQueryClient();
  const search = new URLSearchParams(useSearch());
  const next = safeNext(search.get('next'));
  const ssoError = search.get('error');
  const providers = useQuery(signInProvidersQuery).data ?? [];
  const session = useQuery(sessionQuery);
  const setup = useQuery(setupStatusQuery);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: login,
    onSuccess: (result) => {
      signedIn(queryClient, result);
      navigate(next, { replace: true });
    },
  });

  // Someone already signed in (another tab, a back button) goes straight on.
  const alreadySignedIn = Boolean(session.data);
  useEffect(() => {
    if (alreadySignedIn) navigate(next, { replace: true });
  }, [alreadySignedIn, next]);

  const throttle = useThrottle(signIn.error, signIn.submittedAt);
  const wrongCredentials = signIn.error instanceof ApiError && signIn.error.status === 401;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email: email.trim(), password });
  };

  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Sign in to Siaga
        </Title>
        <Text c="dimmed" size="sm" mt={4}>
          Incident management, from the first alert to the last action item.
        </Text>
      </div>
      {setup.data?.needed === true && <SetupNeeded />}
      {ssoError !== null && (
        <Alert role="alert" color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
          {SSO_ERROR_TEXT[ssoError] ?? SSO_ERROR_TEXT.sso_failed}
        </Alert>
      )}
      <form onSubmit={submit}>
        <Stack gap="md">
          {throttle.throttled && <ThrottleMessage seconds={throttle.seconds} />}
          {signIn.isError && !throttle.throttled && (
            <Alert role="alert" color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
              {wrongCredentials ? 'The email or password is not correct.' : describeError(signIn.error)}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            autoFocus
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={signIn.isPending} disabled={throttle.seconds > 0} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
      {providers.length > 0 && (
        <section aria-label="Single sign-on" className="siaga-sso">
          <Divider label="or" labelPosition="center" />
          <Stack gap="xs" mt="xs">
            {providers.map((p) => (
              <Button
                key={p.slug}
                component="a"
                href={`${p.startUrl}?returnTo=${encodeURIComponent(next)}`}
                variant="default"
                fullWidth
              >
                Sign in with {p.displayName}
              </Button>
            ))}
          </Stack>
        </section>
      )}
    </Stack>
  );
}
