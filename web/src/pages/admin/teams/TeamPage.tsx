import { Anchor, Button, Group, Skeleton, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowLeft, IconHistory, IconPencil, IconUsersGroup } from '@tabler/icons-react';
import { isStatus } from '../../../api/client.ts';
import { deleteTeam, teamQuery } from '../../../api/teams.ts';
import { isGlobalAdmin } from '../../../app/access.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate, useLink } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { DeleteAction } from '../../../components/DeleteAction.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { TokensSection } from '../../../components/tokens/TokensSection.tsx';
import { NotFoundPage } from '../../NotFoundPage.tsx';
import { MembersSection } from './MembersSection.tsx';
import { TeamFormModal } from './TeamFormModal.tsx';

function BackToTeams() {
  const link = useLink('/admin/teams');
  return (
    <Anchor {...link} size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} aria-hidden /> All teams
    </Anchor>
  );
}

export function TeamPage({ teamId }: { teamId: string }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const team = useQuery(teamQuery(teamId));
  const [editing, edit] = useDisclosure(false);
  const audit = useLink(`/admin/audit?teamId=${encodeURIComponent(teamId)}`);
  const remove = useMutation({
    mutationFn: () => deleteTeam(teamId),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['teams', 'one', teamId] });
      await queryClient.invalidateQueries({ queryKey: ['teams', 'list'] });
      navigate('/admin/teams', { replace: true });
    },
  });

  if (isStatus(team.error, 404)) return <NotFoundPage path={`/admin/teams/${teamId}`} />;
  if (isStatus(team.error, 403)) return <NoAccessPage error={team.error} />;
  if (team.isPending) return <Skeleton height={240} />;
  if (team.isError)
    return (
      <ErrorAlert title="Could not load the team" error={team.error} onRetry={() => void team.refetch()} />
    );

  const admin = isGlobalAdmin(user);
  const ownRole = admin ? 'admin' : (user.teams.find((t) => t.teamId === teamId)?.role ?? 'stakeholder');

  return (
    <>
      <BackToTeams />
      <PageHeader
        title={team.data.name}
        description={team.data.description || undefined}
        icon={IconUsersGroup}
        actions={
          <Group gap="xs">
            <Button
              variant="default"
              leftSection={<IconHistory size={16} aria-hidden />}
              component="a"
              {...audit}
            >
              Audit log
            </Button>
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={edit.open}>
              Edit
            </Button>
          </Group>
        }
      />
      <Stack gap="lg">
        <MembersSection team={team.data} />
        <TokensSection
          id="team-tokens"
          title="Service tokens"
          description="Tokens for machines that act for this team (alert sources, CI, scripts), not for a person. Each acts with its own role, at most yours."
          kind="service"
          teamId={teamId}
          maxRole={ownRole}
        />
        {admin && (
          <DeleteAction label="Delete team" title={`Delete ${team.data.name}?`} remove={remove}>
            The team, its memberships and its service tokens are deleted, so anything using those tokens stops
            working. People keep their accounts; the audit log keeps the history.
          </DeleteAction>
        )}
      </Stack>
      <TeamFormModal opened={editing} team={team.data} onClose={edit.close} onSaved={edit.close} />
    </>
  );
}
