import { PageHeading } from '../components/PageHeading.tsx';
import { AccountCard } from '../components/profile/AccountCard.tsx';
import { ApiTokensPanel } from '../components/profile/ApiTokensPanel.tsx';
import { PasswordCard } from '../components/profile/PasswordCard.tsx';
import { SessionsPanel } from '../components/profile/SessionsPanel.tsx';
import { useAuth } from '../store/auth.ts';

/** Your account: name, password, where you are signed in, and API tokens. */
export function Profile() {
  const user = useAuth((s) => s.user);
  if (!user) return null;
  return (
    <>
      <PageHeading title="Profile" subtitle="Your account, password, sessions and API tokens." />
      <div className="grid gap-6 lg:grid-cols-2">
        <AccountCard key={user.id} user={user} />
        <PasswordCard />
      </div>
      <SessionsPanel />
      <ApiTokensPanel />
    </>
  );
}
