import {
  Fieldset,
  Modal,
  NativeSelect,
  PasswordInput,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { isStatus } from '../../../api/client.ts';
import { ROLE_LABELS, ROLES, type Role } from '../../../api/roles.ts';
import {
  createSsoProvider,
  DEFAULT_GROUPS_CLAIM,
  DEFAULT_SCOPES,
  redirectUriFor,
  SLUG_PATTERN,
  slugFrom,
  updateSsoProvider,
  type NewSsoProvider,
  type SsoProvider,
  type SsoProviderPatch,
} from '../../../api/sso.ts';
import { teamsQuery } from '../../../api/teams.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { formErrors } from '../../../lib/errors.ts';
import {
  nextRowKey,
  RoleMappingsEditor,
  TeamMappingsEditor,
  type RoleMappingRow,
  type TeamMappingRow,
} from './MappingsEditor.tsx';
import { RedirectUri } from './RedirectUri.tsx';
import { FormActions } from '../../../components/FormActions.tsx';

const FIELDS = [
  'slug',
  'displayName',
  'issuer',
  'clientId',
  'clientSecret',
  'scopes',
  'groupsClaim',
  'defaultRole',
  'jit',
  'enabled',
  'roleMappings',
  'teamMappings',
] as const;

interface Draft {
  displayName: string;
  slug: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  groupsClaim: string;
  defaultRole: Role | '';
  jit: boolean;
  enabled: boolean;
  roleMappings: RoleMappingRow[];
  teamMappings: TeamMappingRow[];
}

function initialDraft(provider: SsoProvider | undefined): Draft {
  return {
    displayName: provider?.displayName ?? '',
    slug: provider?.slug ?? '',
    issuer: provider?.issuer ?? '',
    clientId: provider?.clientId ?? '',
    clientSecret: '',
    scopes: provider?.scopes ?? DEFAULT_SCOPES,
    groupsClaim: provider?.groupsClaim ?? DEFAULT_GROUPS_CLAIM,
    defaultRole: provider?.defaultRole ?? '',
    jit: provider?.jit ?? true,
    enabled: provider?.enabled ?? true,
    roleMappings: (provider?.roleMappings ?? []).map((m) => ({ ...m, key: nextRowKey() })),
    teamMappings: (provider?.teamMappings ?? []).map((m) => ({ ...m, key: nextRowKey() })),
  };
}

/** Everything but the secret, as the server takes it. */
function toBody(draft: Draft): Omit<NewSsoProvider, 'clientSecret'> {
  return {
    slug: draft.slug.trim(),
    displayName: draft.displayName.trim(),
    issuer: draft.issuer.trim(),
    clientId: draft.clientId.trim(),
    scopes: draft.scopes.trim().split(/\s+/).join(' '),
    groupsClaim: draft.groupsClaim.trim(),
    roleMappings: draft.roleMappings.map(({ group, role }) => ({ group: group.trim(), role })),
    teamMappings: draft.teamMappings.map(({ group, teamId, role }) => ({
      group: group.trim(),
      teamId,
      role,
    })),
    defaultRole: draft.defaultRole === '' ? null : draft.defaultRole,
    jit: draft.jit,
    enabled: draft.enabled,
  };
}

/** Only what changed, so the audit log shows the edit and nothing is overwritten by a stale copy. */
function changes(provider: SsoProvider, body: Omit<NewSsoProvider, 'clientSecret'>): SsoProviderPatch {
  const keys = Object.keys(body) as (keyof typeof body)[];
  const changed = keys.filter((key) => JSON.stringify(body[key]) !== JSON.stringify(provider[key]));
  return Object.fromEntries(changed.map((key) => [key, body[key]]));
}

/** Checks the server would make in less friendly words; the rest (issuer, scopes, teams) is left to it. */
function localErrors(draft: Draft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (draft.slug !== '' && !SLUG_PATTERN.test(draft.slug))
    errors['slug'] = 'Use lower-case letters, digits and dashes, starting and ending with a letter or digit.';
  draft.roleMappings.forEach((row, i) => {
    if (row.group.trim() === '') errors[`roleMappings/${i}/group`] = 'Enter the name of a group.';
  });
  draft.teamMappings.forEach((row, i) => {
    if (row.group.trim() === '') errors[`teamMappings/${i}/group`] = 'Enter the name of a group.';
  });
  return errors;
}

const DEFAULT_ROLE_OPTIONS = [
  { value: '', label: 'None: turn them away' },
  ...ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] })),
];
const isDefaultRole = (value: string): value is Role | '' =>
  value === '' || (ROLES as readonly string[]).includes(value);

function ProviderForm({
  provider,
  onSaved,
  onCancel,
}: {
  provider: SsoProvider | undefined;
  onSaved: (saved: SsoProvider, created: boolean) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const teams = useQuery(teamsQuery);
  const [draft, setDraft] = useState(() => initialDraft(provider));
  // A new provider's slug follows its name until someone types a slug of their own.
  const [slugEdited, setSlugEdited] = useState(provider !== undefined);
  const [checked, setChecked] = useState(false);
  const [attempts, setAttempts] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const save = useMutation({
    mutationFn: (input: { create: NewSsoProvider } | { id: string; patch: SsoProviderPatch }) =>
      'create' in input ? createSsoProvider(input.create) : updateSsoProvider(input.id, input.patch),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['sso'] });
      onSaved(saved, provider === undefined);
    },
  });

  const visible = [
    ...FIELDS,
    ...draft.roleMappings.flatMap((_, i) => [`roleMappings/${i}/group`, `roleMappings/${i}/role`]),
    ...draft.teamMappings.flatMap((_, i) =>
      ['group', 'teamId', 'role'].map((field) => `teamMappings/${i}/${field}`),
    ),
  ];
  const server = isStatus(save.error, 409)
    ? { fields: { slug: 'Another provider already uses this slug.' }, form: undefined }
    : formErrors(save.error, visible);
  const local = checked ? localErrors(draft) : {};
  const errors: Record<string, string> = { ...server.fields, ...local };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    setAttempts((n) => n + 1);
    if (Object.keys(localErrors(draft)).length > 0) return;
    const body = toBody(draft);
    const secret = draft.clientSecret;
    if (!provider) {
      save.mutate({ create: { ...body, clientSecret: secret } });
      return;
    }
    const patch = { ...changes(provider, body), ...(secret === '' ? {} : { clientSecret: secret }) };
    // Nothing changed, so nothing to send.
    if (Object.keys(patch).length === 0) onCancel();
    else save.mutate({ id: provider.id, patch });
  };

  // A long form: after a refused submit, take the person to the first field to fix (or the message above).
  useEffect(() => {
    const form = formRef.current;
    if (attempts === 0 || !form) return;
    const invalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
    // Centred, not just into view: the modal's sticky header would cover a field scrolled to the top edge.
    if (invalid) {
      invalid.focus({ preventScroll: true });
      invalid.scrollIntoView({ block: 'center' });
    } else if (save.error) form.querySelector('[role="alert"]')?.scrollIntoView({ block: 'center' });
  }, [attempts, save.error]);

  const slug = draft.slug.trim();
  const slugChanged = provider !== undefined && slug !== provider.slug;
  const redirectUri =
    provider && !slugChanged
      ? provider.redirectUri
      : redirectUriFor(window.location.origin, slug === '' ? '<slug>' : slug);
  const redirectHint = slugChanged
    ? 'The slug changed, so this URI changes when you save: register the new one at the provider, or signing in with it fails.'
    : 'Register it at the provider as an allowed redirect (callback) URL.';

  return (
    <form onSubmit={submit} ref={formRef}>
      <Stack gap="lg">
        <FormAlert message={server.form} />
        <Fieldset legend="Provider" variant="unstyled" classNames={{ legend: 'siaga-legend' }}>
          <Stack gap="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextInput
                label="Display name"
                description="On the sign-in page: “Sign in with …”."
                required
                maxLength={100}
                value={draft.displayName}
                onChange={(event) => {
                  const name = event.currentTarget.value;
                  setDraft((current) => ({
                    ...current,
                    displayName: name,
                    ...(slugEdited ? {} : { slug: slugFrom(name) }),
                  }));
                }}
                error={errors['displayName']}
                data-autofocus
              />
              <TextInput
                label="Slug"
                description="Lower-case letters, digits and dashes; part of the URLs."
                required
                maxLength={40}
                autoCapitalize="none"
                spellCheck={false}
                value={draft.slug}
                onChange={(event) => {
                  setSlugEdited(true);
                  set('slug', event.currentTarget.value);
                }}
                error={errors['slug']}
              />
            </SimpleGrid>
            <RedirectUri uri={redirectUri} hint={redirectHint} />
            <TextInput
              label="Issuer"
              description="The provider's issuer URL, e.g. https://login.example.com/realms/staff. HTTPS; plain HTTP only for a provider on this machine."
              type="url"
              required
              maxLength={500}
              autoCapitalize="none"
              spellCheck={false}
              value={draft.issuer}
              onChange={(event) => set('issuer', event.currentTarget.value)}
              error={errors['issuer']}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextInput
                label="Client ID"
                required
                maxLength={500}
                autoCapitalize="none"
                spellCheck={false}
                autoComplete="off"
                value={draft.clientId}
                onChange={(event) => set('clientId', event.currentTarget.value)}
                error={errors['clientId']}
              />
              <PasswordInput
                label="Client secret"
                description={
                  provider
                    ? 'Stored — enter a new one to replace it.'
                    : 'Stored encrypted; Siaga never shows it again.'
                }
                required={!provider}
                maxLength={2000}
                autoComplete="new-password"
                value={draft.clientSecret}
                onChange={(event) => set('clientSecret', event.currentTarget.value)}
                error={errors['clientSecret']}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextInput
                label="Scopes"
                description="Space-separated; must include openid."
                required
                maxLength={1000}
                autoCapitalize="none"
                spellCheck={false}
                value={draft.scopes}
                onChange={(event) => set('scopes', event.currentTarget.value)}
                error={errors['scopes']}
              />
              <TextInput
                label="Groups claim"
                description="The claim that lists the person's groups; a dotted path works (realm_access.roles)."
                required
                maxLength={200}
                autoCapitalize="none"
                spellCheck={false}
                value={draft.groupsClaim}
                onChange={(event) => set('groupsClaim', event.currentTarget.value)}
                error={errors['groupsClaim']}
              />
            </SimpleGrid>
          </Stack>
        </Fieldset>

        <Fieldset legend="Sign-in" variant="unstyled" classNames={{ legend: 'siaga-legend' }}>
          <Stack gap="md">
            <Switch
              label="Enabled"
              description="Offered on the sign-in page. Turning it off stops new sign-ins with it; sessions already started stay."
              checked={draft.enabled}
              onChange={(event) => set('enabled', event.currentTarget.checked)}
              error={errors['enabled']}
            />
            <Switch
              label="Create accounts on first sign-in (just in time)"
              description="Off: only people who already have a Siaga account with the same verified email can sign in."
              checked={draft.jit}
              onChange={(event) => set('jit', event.currentTarget.checked)}
              error={errors['jit']}
            />
            <NativeSelect
              label="Default role"
              description="For a new account when none of the person's groups maps to a role."
              data={DEFAULT_ROLE_OPTIONS}
              value={draft.defaultRole}
              onChange={(event) => {
                const value = event.currentTarget.value;
                if (isDefaultRole(value)) set('defaultRole', value);
              }}
              error={errors['defaultRole']}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend="Groups" variant="unstyled" classNames={{ legend: 'siaga-legend' }}>
          <Stack gap="lg">
            <RoleMappingsEditor
              rows={draft.roleMappings}
              onChange={(rows) => set('roleMappings', rows)}
              errors={errors}
            />
            {teams.isError && <ErrorAlert title="Could not load the teams" error={teams.error} />}
            <TeamMappingsEditor
              rows={draft.teamMappings}
              onChange={(rows) => set('teamMappings', rows)}
              errors={errors}
              teams={teams.data}
            />
          </Stack>
        </Fieldset>

        <FormActions onCancel={onCancel} saving={save.isPending}>
          {provider ? 'Save' : 'Add provider'}
        </FormActions>
      </Stack>
    </form>
  );
}

/** Adds a provider, or edits one (`provider` given). */
export function ProviderFormModal({
  opened,
  provider,
  onClose,
  onSaved,
}: {
  opened: boolean;
  provider: SsoProvider | undefined;
  onClose: () => void;
  onSaved: (saved: SsoProvider, created: boolean) => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={provider ? `Edit ${provider.displayName}` : 'Add a single sign-on provider'}
      size="xl"
      closeOnClickOutside={false}
    >
      <ProviderForm key={provider?.id ?? 'new'} provider={provider} onSaved={onSaved} onCancel={onClose} />
    </Modal>
  );
}
