import { Alert, Anchor, Button, Code, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { completeSetup, sessionQuery, setupStatusQuery, signedIn } from '../../api/auth.ts';
import { navigate, useLink } from '../../app/router.ts';
import { FormAlert } from '../../components/FormAlert.tsx';
import { TimeZoneSelect } from '../../components/TimeZoneSelect.tsx';
import { formErrors } from '../../lib/errors.ts';
import { NewPasswordFields, useNewPassword } from '../../components/NewPasswordFields.tsx';
import { browserTimeZone } from '../../lib/timeZones.ts';

/** The one-time token from `#token=…`; in the fragment so it never reaches a server log or a Referer. */
function tokenFromHash(): string | undefined {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  return token === null || token === '' ? undefined : token;
}

function SetupHeading() {
  return (
    <div>
      <Title order={1} size="h2">
        Set up Siaga
      </Title>
      <Text c="dimmed" size="sm" mt={4}>
        Create the first administrator. You can invite everyone else afterwards.
      </Text>
    </div>
  );
}

function SetupDone() {
  const signIn = useLink('/login');
  return (
    <Alert color="green" variant="light" icon={<IconCircleCheck aria-hidden />} title="Setup is complete">
      Siaga already has an administrator, so this link no longer works. <Anchor {...signIn}>Sign in</Anchor>{' '}
      instead.
    </Alert>
  );
}

function MissingToken() {
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconAlertTriangle aria-hidden />}
      title="Open the setup link"
    >
      This page needs the one-time link the server printed when it started, like{' '}
      <Code>http://…/setup#token=setup_…</Code>. Open that link as it is (the token is removed from the
      address bar once read, so reloading the page drops it). Lost it? Restart the server for a new one.
    </Alert>
  );
}

const FIELDS = ['name', 'email', 'timeZone', 'password', 'token'] as const;

function SetupForm({ token }: { token: string }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const newPassword = useNewPassword();
  const [checked, setChecked] = useState(false);
  const setup = useMutation({
    mutationFn: completeSetup,
    onSuccess: (session) => {
      signedIn(queryClient, session);
      navigate('/', { replace: true });
    },
  });

  const errors = formErrors(setup.error, FIELDS);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (newPassword.invalid) return;
    setup.mutate({ token, name: name.trim(), email: email.trim(), password: newPassword.password, timeZone });
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form ?? errors.fields['token']} />
        <TextInput
          label="Your name"
          autoComplete="name"
          required
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.fields['name']}
        />
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={errors.fields['email']}
          description="You sign in with it."
        />
        <TimeZoneSelect
          label="Time zone"
          description="Schedules and times are shown in it."
          value={timeZone}
          onChange={setTimeZone}
          error={errors.fields['timeZone']}
        />
        <NewPasswordFields
          state={newPassword}
          checked={checked}
          serverError={errors.fields['password']}
          label="Password"
          repeatLabel="Repeat the password"
        />
        <Button type="submit" loading={setup.isPending} fullWidth mt="xs">
          Create administrator
        </Button>
      </Stack>
    </form>
  );
}

export function SetupPage() {
  useDocumentTitle('Set up · Siaga');
  const [token] = useState(tokenFromHash);
  const session = useQuery(sessionQuery);
  const status = useQuery(setupStatusQuery);

  // Read once, then out of the address bar: no bookmark, history entry or screenshot keeps the token.
  useEffect(() => {
    if (window.location.hash !== '') {
      window.history.replaceState(
        window.history.state,
        '',
        window.location.pathname + window.location.search,
      );
    }
  }, []);

  const signedInAlready = Boolean(session.data);
  useEffect(() => {
    if (signedInAlready) navigate('/', { replace: true });
  }, [signedInAlready]);

  let body;
  if (status.isPending) body = <Text c="dimmed">Checking whether setup is needed…</Text>;
  else if (status.isError)
    body = <FormAlert message={`Could not check the setup status: ${status.error.message}`} />;
  else if (!status.data.needed) body = <SetupDone />;
  else if (token === undefined) body = <MissingToken />;
  else body = <SetupForm token={token} />;

  return (
    <Stack gap="lg">
      <SetupHeading />
      {body}
    </Stack>
  );
}
