import { Badge, Button, Code, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLE_LABELS } from '../../api/roles.ts';
import { revokeToken, type ApiToken } from '../../api/tokens.ts';
import { useCurrentUser } from '../../app/session.ts';
import { describeError } from '../../lib/errors.ts';
import { Time } from '../Time.tsx';
import { useNow } from '../../lib/useNow.ts';
import { ConfirmModal } from '../ConfirmModal.tsx';

type TokenState = 'active' | 'revoked' | 'expired';

function stateOf(token: ApiToken, now: number): TokenState {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

const STATE_BADGE: Record<TokenState, { color: string; label: string }> = {
  active: { color: 'green', label: 'Active' },
  revoked: { color: 'gray', label: 'Revoked' },
  expired: { color: 'orange', label: 'Expired' },
};

interface TokenTableProps {
  tokens: readonly ApiToken[];
  /** Service tokens also show the role they act with. */
  showRole?: boolean;
}

/** Tokens with their prefix (to recognise one), scopes, dates and a revoke button; never the token itself. */
export function TokenTable({ tokens, showRole = false }: TokenTableProps) {
  const { timeZone } = useCurrentUser();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<ApiToken | undefined>(undefined);
  const revoke = useMutation({
    mutationFn: revokeToken,
    onSuccess: async () => {
      setRevoking(undefined);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const now = useNow(60_000);
  const when = (iso: string | null, never: string) =>
    iso === null ? never : <Time iso={iso} timeZone={timeZone} short />;

  return (
    <>
      <Table.ScrollContainer minWidth={showRole ? 860 : 760} type="native">
        <Table verticalSpacing="sm" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Scopes</Table.Th>
              {showRole && <Table.Th>Role</Table.Th>}
              <Table.Th>Created</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.map((token) => {
              const state = stateOf(token, now);
              return (
                <Table.Tr key={token.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {token.name}
                    </Text>
                    <Code fz="xs">{token.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {token.scopes.map((scope) => (
                        <Badge key={scope} variant="default" size="sm" tt="none" fw={500}>
                          {scope}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  {showRole && <Table.Td>{ROLE_LABELS[token.role]}</Table.Td>}
                  <Table.Td fz="sm">{when(token.createdAt, '—')}</Table.Td>
                  <Table.Td fz="sm">{when(token.expiresAt, 'Never')}</Table.Td>
                  <Table.Td fz="sm">{when(token.lastUsedAt, 'Not yet')}</Table.Td>
                  <Table.Td>
                    <Badge color={STATE_BADGE[state].color} variant="light" tt="none">
                      {STATE_BADGE[state].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">
                    {state !== 'revoked' && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        aria-label={`Revoke ${token.name}`}
                        onClick={() => {
                          revoke.reset();
                          setRevoking(token);
                        }}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={revoking !== undefined}
        title="Revoke this token?"
        confirmLabel="Revoke token"
        danger
        pending={revoke.isPending}
        error={revoke.isError ? describeError(revoke.error) : undefined}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onClose={() => setRevoking(undefined)}
      >
        Anything that uses “{revoking?.name}” stops working with its next request. This cannot be undone.
      </ConfirmModal>
    </>
  );
}
