import { Badge, Button, Card, EmptyState, Group, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { isStatus } from '../../../api/client.ts';
import { ROLE_LABELS } from '../../../api/roles.ts';
import { teamsQuery, type Team } from '../../../api/teams.ts';
import { canManageTeam, isGlobalAdmin } from '../../../app/access.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate, useLink } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { TeamFormModal } from './TeamFormModal.tsx';

const teamHref = (id: string) => `/admin/teams/${encodeURIComponent(id)}`;

function TeamCard({ team, manageable, yourRole }: { team: Team; manageable: boolean; yourRole?: string }) {
  const link = useLink(teamHref(team.id));
  const members = team.members.length;
  return (
    <Card withBorder padding="lg" component="article" className={manageable ? 'siaga-card-link' : undefined}>
      <Title order={2} size="h4" mb={4}>
        {manageable ? (
          <a {...link} className="siaga-stretched-link">
            {team.name}
          </a>
        ) : (
          team.name
        )}
      </Title>
      <Text size="sm" c="dimmed" mb="md" lineClamp={2}>
        {team.description || 'No description.'}
      </Text>
      <Group justify="space-between" mt="auto" gap="xs">
        <Text size="sm">
          {members} {members === 1 ? 'member' : 'members'}
        </Text>
        {yourRole && (
          <Badge variant="light" tt="none">
            You: {yourRole}
          </Badge>
        )}
      </Group>
    </Card>
  );
}

export function TeamsPage() {
  const user = useCurrentUser();
  const teams = useQuery(teamsQuery);
  const [creating, create] = useDisclosure(false);
  const admin = isGlobalAdmin(user);

  if (isStatus(teams.error, 403))
    return <NoAccessPage needs="Only administrators and team admins manage teams." error={teams.error} />;

  let body;
  if (teams.isPending) body = <Skeleton height={120} />;
  else if (teams.isError)
    body = (
      <ErrorAlert title="Could not load the teams" error={teams.error} onRetry={() => void teams.refetch()} />
    );
  else if (teams.data.length === 0)
    body = (
      <Card withBorder padding="xl">
        <EmptyState
          icon={<IconUsersGroup size={28} stroke={1.5} aria-hidden />}
          variant="light"
          title="No teams yet"
          description="Teams own services, hold on-call rotations and get paged together. Create the first one."
        />
      </Card>
    );
  else
    body = (
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
        {teams.data.map((team) => {
          const membership = user.teams.find((t) => t.teamId === team.id);
          return (
            <TeamCard
              key={team.id}
              team={team}
              manageable={canManageTeam(user, team.id)}
              {...(membership ? { yourRole: ROLE_LABELS[membership.role] } : {})}
            />
          );
        })}
      </SimpleGrid>
    );

  return (
    <>
      <PageHeader
        title="Teams"
        description={
          admin
            ? 'Every team, its members and their team roles.'
            : 'The teams you belong to; you manage those where you are a team admin.'
        }
        icon={IconUsersGroup}
        actions={
          admin && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={create.open}>
              New team
            </Button>
          )
        }
      />
      {body}
      {admin && (
        <TeamFormModal
          opened={creating}
          onClose={create.close}
          onSaved={(team) => {
            create.close();
            navigate(teamHref(team.id));
          }}
        />
      )}
    </>
  );
}
