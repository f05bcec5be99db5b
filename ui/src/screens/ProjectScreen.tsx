import { useId, useState, type FormEvent } from 'react';
import { adminApi, type CreatedServiceAccount, type ProjectApiKey, type ServiceAccount } from '../api/admin.js';
import { AdminAccess } from '../components/AdminAccess.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { NewKeyNotice } from '../components/NewKeyNotice.js';
import { href } from '../lib/router.js';
import { formatTime, useAsync } from '../lib/use-async.js';

/** One project: its name, archiving, and its keys (each the key of a service account). */
export function ProjectScreen({ projectId }: { projectId: string }) {
  const ids = useId();
  const project = useAsync(() => adminApi.getProject(projectId), [projectId]);
  const accounts = useAsync(() => adminApi.listServiceAccounts(projectId), [projectId]);
  const keys = useAsync(() => adminApi.listApiKeys(projectId), [projectId]);
  const [name, setName] = useState<string>();
  const [accountName, setAccountName] = useState('');
  const [created, setCreated] = useState<CreatedServiceAccount>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const archived = project.data?.status === 'archived';
  // The default project holds SPOOL_API_KEYS and what was stored before projects: it cannot be renamed or archived.
  const fixed = projectId === 'proj_default';

  const reloadAll = () => {
    project.reload();
    accounts.reload();
    keys.reload();
  };

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const rename = (event: FormEvent) => {
    event.preventDefault();
    const next = name?.trim();
    if (!next) return;
    void act(async () => {
      project.setData(await adminApi.renameProject(projectId, next));
      setName(undefined);
    });
  };

  const archive = () => {
    if (!window.confirm(`Archive project “${project.data?.name ?? projectId}”? Its keys stop working; its data stays.`)) return;
    void act(async () => {
      project.setData(await adminApi.archiveProject(projectId));
      keys.reload();
    });
  };

  const createKey = (event: FormEvent) => {
    event.preventDefault();
    if (!accountName.trim()) return;
    void act(async () => {
      setCreated(await adminApi.createServiceAccount(projectId, accountName.trim()));
      setAccountName('');
      accounts.reload();
      keys.reload();
    });
  };

  const removeAccount = (account: ServiceAccount) => {
    if (!window.confirm(`Delete service account “${account.name}” and its key?`)) return;
    void act(async () => {
      await adminApi.deleteServiceAccount(projectId, account.id);
      accounts.reload();
      keys.reload();
    });
  };

  const removeKey = (key: ProjectApiKey) => {
    if (!window.confirm(`Delete the key “${key.name}” (${key.redacted_value})? Apps using it lose access.`)) return;
    void act(async () => {
      await adminApi.deleteApiKey(projectId, key.id);
      keys.reload();
    });
  };

  if (project.error) {
    return (
      <section className="screen">
        <h1>Project</h1>
        <AdminAccess error={project.error} onRetry={reloadAll} />
        <a href={href('projects')}>← Projects</a>
      </section>
    );
  }

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>
          {project.data?.name ?? 'Project'} <code className="small">{projectId}</code>
        </h1>
        <a href={href('projects')}>← Projects</a>
      </div>
      {project.data && (
        <form className="card row" onSubmit={rename}>
          <label htmlFor={`${ids}-name`}>Name</label>
          <input id={`${ids}-name`} value={name ?? project.data.name} maxLength={256} onChange={(e) => setName(e.target.value)} disabled={archived || fixed} />
          <button type="submit" disabled={busy || archived || fixed || !name?.trim() || name.trim() === project.data.name}>
            Rename
          </button>
          <span className={`status status-${project.data.status}`}>{project.data.status}</span>
          {archived && <span className="muted">archived {formatTime(project.data.archived_at)}</span>}
          {fixed && <span className="muted">the default project (SPOOL_API_KEYS)</span>}
          {!archived && !fixed && (
            <button type="button" className="danger" onClick={archive} disabled={busy}>
              Archive
            </button>
          )}
        </form>
      )}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />

      <h2>Keys</h2>
      {!archived && (
        <form className="card row" onSubmit={createKey}>
          <label htmlFor={`${ids}-account`}>New key for</label>
          <input id={`${ids}-account`} value={accountName} maxLength={256} onChange={(e) => setAccountName(e.target.value)} placeholder="a service account name, e.g. web-app" />
          <button type="submit" className="primary" disabled={busy || !accountName.trim()}>
            Create key
          </button>
        </form>
      )}
      {created && <NewKeyNotice account={created} onDismiss={() => setCreated(undefined)} />}
      <ErrorBanner error={keys.error} onRetry={keys.reload} />
      {keys.data?.length === 0 && <p className="empty">No keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <DataTable
          label="Keys"
          columns={[
            { header: 'Name', cell: (key: ProjectApiKey) => key.name },
            { header: 'Key', cell: (key: ProjectApiKey) => <code>{key.redacted_value}</code> },
            { header: 'Owner', cell: (key: ProjectApiKey) => key.owner.service_account?.name ?? key.owner.user?.name ?? '—' },
            { header: 'Created', cell: (key: ProjectApiKey) => formatTime(key.created_at) },
            { header: 'Last used', cell: (key: ProjectApiKey) => formatTime(key.last_used_at) },
          ]}
          rows={keys.data}
          rowKey={(key) => key.id}
          actions={(key) => (
            <button type="button" className="button-small danger" onClick={() => removeKey(key)} disabled={busy}>
              Delete
            </button>
          )}
        />
      )}

      <h2>Service accounts</h2>
      <ErrorBanner error={accounts.error} onRetry={accounts.reload} />
      {accounts.data?.length === 0 && <p className="empty">No service accounts.</p>}
      {accounts.data && accounts.data.length > 0 && (
        <DataTable
          label="Service accounts"
          columns={[
            { header: 'Name', cell: (account: ServiceAccount) => account.name },
            { header: 'Id', cell: (account: ServiceAccount) => <code>{account.id}</code> },
            { header: 'Role', cell: (account: ServiceAccount) => account.role },
            { header: 'Created', cell: (account: ServiceAccount) => formatTime(account.created_at) },
          ]}
          rows={accounts.data}
          rowKey={(account) => account.id}
          actions={(account) => (
            <button type="button" className="button-small danger" onClick={() => removeAccount(account)} disabled={busy}>
              Delete
            </button>
          )}
        />
      )}
    </section>
  );
}
