import { useId, useState, type FormEvent } from 'react';
import { adminApi } from '../api/admin.js';
import { AdminAccess } from '../components/AdminAccess.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { ItemCard } from '../components/ItemCard.js';
import { href } from '../lib/router.js';
import { formatTime, useAsync } from '../lib/use-async.js';

/** The Administration API's projects: each has its own assistants, threads, files and keys. */
export function ProjectsScreen() {
  const ids = useId();
  const [showArchived, setShowArchived] = useState(false);
  const projects = useAsync(() => adminApi.listProjects(showArchived), [showArchived]);
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    setCreating(true);
    setError(null);
    try {
      await adminApi.createProject(name.trim());
      setName('');
      projects.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setCreating(false);
    }
  };

  return (
    <section className="screen">
      <div className="screen-header">
        <h1>Projects</h1>
        <label className="check">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
          Show archived
        </label>
      </div>
      <p className="hint">
        Each project sees only its own objects. A project's keys are its service accounts' keys; apps send one as their API key.
      </p>
      {projects.error ? (
        <AdminAccess error={projects.error} onRetry={projects.reload} />
      ) : (
        <form className="card row" onSubmit={create}>
          <label htmlFor={`${ids}-name`}>New project</label>
          <input id={`${ids}-name`} value={name} maxLength={256} onChange={(e) => setName(e.target.value)} placeholder="Name, e.g. 고객지원 봇" />
          <button type="submit" className="primary" disabled={creating || !name.trim()}>
            Create project
          </button>
        </form>
      )}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {projects.loading && !projects.data && !projects.error && <p className="muted">Loading…</p>}
      {projects.data?.length === 0 && <p className="empty">No projects yet.</p>}
      {projects.data && projects.data.length > 0 && (
        <ul className="card-list">
          {projects.data.map((project) => (
            <ItemCard
              key={project.id}
              href={href('projects', project.id)}
              title={project.name || <code>{project.id}</code>}
              meta={
                <>
                  <code>{project.id}</code> · <span className={`status status-${project.status}`}>{project.status}</span> · {formatTime(project.created_at)}
                </>
              }
              links={[{ label: 'Keys', href: href('projects', project.id) }]}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
