import { Button, Code, Group, Skeleton, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { formatMatcher, inhibitionApi, type InhibitionRule } from '../../../api/alerting.ts';
import { MatcherList } from '../../../components/alerting/LabelList.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Section } from '../../../components/Section.tsx';
import { describeError } from '../../../lib/errors.ts';
import { InhibitionFormModal } from './InhibitionFormModal.tsx';
import { IconAction } from '../../../components/IconAction.tsx';

function RulesTable({
  rules,
  onEdit,
  onDelete,
}: {
  rules: readonly InhibitionRule[];
  onEdit?: (rule: InhibitionRule) => void;
  onDelete?: (rule: InhibitionRule) => void;
}) {
  const actions = onEdit !== undefined || onDelete !== undefined;
  return (
    <Table.ScrollContainer minWidth={720} type="native">
      <Table verticalSpacing="sm" aria-label="Inhibition rules">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Rule</Table.Th>
            <Table.Th>While firing</Table.Th>
            <Table.Th>Quiet</Table.Th>
            <Table.Th>Equal labels</Table.Th>
            {actions && <Table.Th w={90}>Actions</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rules.map((rule) => (
            <Table.Tr key={rule.id}>
              <Table.Td fz="sm" fw={500}>
                {rule.name}
              </Table.Td>
              <Table.Td>
                <MatcherList matchers={rule.sourceMatchers.map(formatMatcher)} />
              </Table.Td>
              <Table.Td>
                <MatcherList matchers={rule.targetMatchers.map(formatMatcher)} />
              </Table.Td>
              <Table.Td>
                {rule.equal.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                ) : (
                  <Group gap={4}>
                    {rule.equal.map((name) => (
                      <Code key={name}>{name}</Code>
                    ))}
                  </Group>
                )}
              </Table.Td>
              {actions && (
                <Table.Td>
                  {!rule.declared && (
                    <Group gap={2} wrap="nowrap">
                      {onEdit && (
                        <IconAction
                          label="Edit"
                          ariaLabel={`Edit ${rule.name}`}
                          icon={IconPencil}
                          onClick={() => onEdit(rule)}
                        />
                      )}
                      {onDelete && (
                        <IconAction
                          label="Delete"
                          ariaLabel={`Delete ${rule.name}`}
                          icon={IconTrash}
                          onClick={() => onDelete(rule)}
                          color="red"
                        />
                      )}
                    </Group>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Alertmanager-style inhibition: while a source alert fires, related target alerts open no incident. */
export function InhibitionSection({ manageable }: { manageable: boolean }) {
  const queryClient = useQueryClient();
  const rules = useQuery(inhibitionApi.query);
  const [formOpen, form] = useDisclosure(false);
  const [editing, setEditing] = useState<InhibitionRule | undefined>(undefined);
  const [deleting, setDeleting] = useState<InhibitionRule | undefined>(undefined);
  const remove = useMutation({
    mutationFn: (rule: InhibitionRule) => inhibitionApi.remove(rule.id),
    onSuccess: async () => {
      setDeleting(undefined);
      await queryClient.invalidateQueries({ queryKey: inhibitionApi.query.queryKey });
    },
  });
  const open = (rule: InhibitionRule | undefined) => {
    setEditing(rule);
    form.open();
  };

  let body;
  if (rules.isPending) body = <Skeleton height={80} />;
  else if (rules.isError)
    body = (
      <ErrorAlert
        title="Could not load the inhibition rules"
        error={rules.error}
        onRetry={() => void rules.refetch()}
      />
    );
  else if (rules.data.length === 0) body = <Text c="dimmed">No inhibition rules.</Text>;
  else
    body = (
      <RulesTable
        rules={rules.data}
        {...(manageable
          ? {
              onEdit: open,
              onDelete: (rule: InhibitionRule) => {
                remove.reset();
                setDeleting(rule);
              },
            }
          : {})}
      />
    );

  return (
    <Section
      id="inhibition-rules"
      title="Inhibition rules"
      description="While a more important alert fires, related ones stay quiet (they are recorded, but open no incident)."
      actions={
        manageable && (
          <Button
            variant="light"
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => open(undefined)}
          >
            New inhibition rule
          </Button>
        )
      }
    >
      {body}
      <InhibitionFormModal opened={formOpen} rule={editing} onClose={form.close} />
      <ConfirmModal
        opened={deleting !== undefined}
        title={`Delete ${deleting?.name ?? 'the rule'}?`}
        confirmLabel="Delete rule"
        danger
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : undefined}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        Alerts it kept quiet open incidents again from now on.
      </ConfirmModal>
    </Section>
  );
}
