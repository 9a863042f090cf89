import type { ApiToken } from '@nop/protocol';
import { useState } from 'react';
import { useApiTokenList, useRevokeApiToken } from '../../hooks/useProfile.ts';
import { EmptyState } from '../EmptyState.tsx';
import { ExpiresIn } from '../ExpiresIn.tsx';
import { PlusIcon } from '../icons.tsx';
import { PagedListBody } from '../PagedListBody.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { RoleBadge } from '../RoleBadge.tsx';
import { Button } from '../ui/Button.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { Panel } from '../ui/Panel.tsx';
import { ActionsTh, Table, TBody, Td, Th, THead, Tr } from '../ui/Table.tsx';
import { CreateApiTokenDialog } from './CreateApiTokenDialog.tsx';

/** Tokens for scripts and automation: usable wherever a session is, with at most your role. */
export function ApiTokensPanel() {
  const tokens = useApiTokenList();
  const [creating, setCreating] = useState(false);
  const newButton = (
    <Button size="sm" onClick={() => setCreating(true)}>
      <PlusIcon /> New token
    </Button>
  );

  return (
    <Panel title="API tokens" actions={tokens.items.length > 0 && newButton}>
      <PagedListBody
        list={tokens}
        what="API tokens"
        noun="tokens"
        empty={
          <EmptyState title="No API tokens." action={newButton}>
            A token lets a script call the API as you (send it as{' '}
            <code className="font-mono">Authorization: Bearer …</code>
            ), with your role or a lower one.
          </EmptyState>
        }
      >
        <Table label="API tokens">
          <THead>
            <Th>Name</Th>
            <Th>Token</Th>
            <Th>Role</Th>
            <Th>Last used</Th>
            <Th>Expires</Th>
            <ActionsTh />
          </THead>
          <TBody>
            {tokens.items.map((token) => (
              <TokenRow key={token.id} token={token} />
            ))}
          </TBody>
        </Table>
      </PagedListBody>
      <CreateApiTokenDialog open={creating} onClose={() => setCreating(false)} />
    </Panel>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const revoke = useRevokeApiToken();
  const [confirming, setConfirming] = useState(false);
  const close = () => {
    setConfirming(false);
    revoke.reset();
  };
  return (
    <Tr>
      <Td className="max-w-56 truncate font-medium text-fg" title={token.name}>
        {token.name}
      </Td>
      <Td className="font-mono text-xs text-muted">{token.prefix}…</Td>
      <Td>
        <RoleBadge role={token.role} />
      </Td>
      <Td className="text-xs whitespace-nowrap text-muted">
        <RelativeTime iso={token.lastUsedAt} />
        {token.lastUsedIp && <span className="text-faint"> from {token.lastUsedIp}</span>}
      </Td>
      <Td className="text-xs whitespace-nowrap text-muted">
        <ExpiresIn iso={token.expiresAt} />
      </Td>
      <Td className="text-right">
        <Button
          size="sm"
          variant="ghost"
          className="hover:text-bad"
          onClick={() => setConfirming(true)}
          aria-label={`Revoke ${token.name}`}
        >
          Revoke
        </Button>
        <ConfirmDialog
          open={confirming}
          onClose={close}
          title={`Revoke “${token.name}”?`}
          description="Scripts using it get 401 from now on. This cannot be undone."
          confirmLabel="Revoke token"
          busy={revoke.isPending}
          error={revoke.error}
          onConfirm={() => revoke.mutate(token.id, { onSuccess: close })}
        />
      </Td>
    </Tr>
  );
}
