import { Button, Skeleton, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import type { Role } from '../../api/roles.ts';
import { tokensQuery } from '../../api/tokens.ts';
import { ErrorAlert } from '../ErrorAlert.tsx';
import { Section } from '../Section.tsx';
import { CreateTokenModal } from './CreateTokenModal.tsx';
import { TokenTable } from './TokenTable.tsx';

interface TokensSectionProps {
  id: string;
  title: string;
  description: string;
  kind: 'personal' | 'service';
  teamId?: string;
  maxRole: Role;
}

/** A list of API tokens with create and revoke: your personal ones, or a team's service tokens. */
export function TokensSection({ id, title, description, kind, teamId, maxRole }: TokensSectionProps) {
  const tokens = useQuery(tokensQuery(teamId));
  const [creating, create] = useDisclosure(false);
  let body;
  if (tokens.isPending) body = <Skeleton height={80} />;
  else if (tokens.isError)
    body = (
      <ErrorAlert
        title="Could not load the tokens"
        error={tokens.error}
        onRetry={() => void tokens.refetch()}
      />
    );
  else if (tokens.data.length === 0)
    body = (
      <Text c="dimmed" size="sm">
        No tokens yet.
      </Text>
    );
  else body = <TokenTable tokens={tokens.data} showRole={kind === 'service'} />;

  return (
    <Section
      id={id}
      title={title}
      description={description}
      actions={
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={create.open}>
          New token
        </Button>
      }
    >
      {body}
      <CreateTokenModal
        opened={creating}
        onClose={create.close}
        kind={kind}
        {...(teamId ? { teamId } : {})}
        maxRole={maxRole}
      />
    </Section>
  );
}
