import { Badge, Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCheck } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { SESSION_KEY, type Session } from '../../api/auth.ts';
import { ROLE_LABELS } from '../../api/roles.ts';
import { updateUser, type User, type UserPatch } from '../../api/users.ts';
import { isGlobalAdmin } from '../../app/access.ts';
import { FormAlert } from '../../components/FormAlert.tsx';
import { Section } from '../../components/Section.tsx';
import { TimeZoneSelect } from '../../components/TimeZoneSelect.tsx';
import { formErrors } from '../../lib/errors.ts';
import { localeOptions } from '../../lib/locales.ts';

const FIELDS = ['name', 'email', 'timeZone', 'locale'] as const;

/** Name, time zone and locale (and email, for admins); role and teams are shown, changed by admins elsewhere. */
export function DetailsSection({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [timeZone, setTimeZone] = useState(user.timeZone);
  const [locale, setLocale] = useState(user.locale);
  const locales = useMemo(() => localeOptions(user.locale), [user.locale]);
  const admin = isGlobalAdmin(user);
  const save = useMutation({
    mutationFn: (patch: UserPatch) => updateUser(user.id, patch),
    onSuccess: (updated) => {
      queryClient.setQueryData<Session | null>(SESSION_KEY, (session) =>
        session ? { ...session, user: updated } : session,
      );
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const errors = formErrors(save.error, FIELDS);

  const patch: UserPatch = {};
  if (name.trim() !== user.name) patch.name = name.trim();
  if (admin && email.trim().toLowerCase() !== user.email) patch.email = email.trim();
  if (timeZone !== user.timeZone) patch.timeZone = timeZone;
  if (locale !== user.locale) patch.locale = locale;
  const changed = Object.keys(patch).length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (changed) save.mutate(patch);
  };

  return (
    <Section
      id="profile-details"
      title="Your details"
      description="How you appear to others, and how Siaga shows you times."
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          <FormAlert message={errors.form} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Name"
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
              readOnly={!admin}
              description={admin ? undefined : 'Ask an administrator to change it.'}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={errors.fields['email']}
            />
            <TimeZoneSelect
              label="Time zone"
              description="Times in Siaga are shown in this zone."
              value={timeZone}
              onChange={setTimeZone}
              error={errors.fields['timeZone']}
            />
            <Select
              label="Locale"
              description="Language and formats for dates and numbers."
              data={locales}
              value={locale}
              searchable
              allowDeselect={false}
              onChange={(next) => next && setLocale(next)}
              error={errors.fields['locale']}
            />
          </SimpleGrid>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Role:
            </Text>
            <Badge variant="light" tt="none">
              {ROLE_LABELS[user.role]}
            </Badge>
            {user.teams.map((team) => (
              <Badge key={team.teamId} variant="default" tt="none" fw={500}>
                {team.teamName} · {ROLE_LABELS[team.role]}
              </Badge>
            ))}
          </Group>
          <Group gap="sm">
            <Button type="submit" loading={save.isPending} disabled={!changed}>
              Save details
            </Button>
            {save.isSuccess && !changed && (
              <Text size="sm" c="teal" role="status">
                <IconCheck size={14} aria-hidden style={{ verticalAlign: -2 }} /> Saved
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
