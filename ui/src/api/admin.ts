/** The Administration API's projects, service accounts and API keys (`/v1/organization/projects`), called with the admin key. */
import { api, listAll } from './client.js';
import { adminHeaders } from './settings.js';

export interface Project {
  id: string;
  object: 'organization.project';
  name: string;
  created_at: number;
  archived_at?: number | null;
  status: 'active' | 'archived';
}

export interface ServiceAccount {
  id: string;
  object: 'organization.project.service_account';
  name: string;
  role: string;
  created_at: number;
}

/** A new service account with its API key: the only time the key's value is ever shown. */
export interface CreatedServiceAccount extends ServiceAccount {
  api_key: { object: 'organization.project.service_account.api_key'; id: string; name: string; value: string; created_at: number } | null;
}

export interface ProjectApiKey {
  id: string;
  object: 'organization.project.api_key';
  name: string;
  redacted_value: string;
  created_at: number;
  last_used_at?: number | null;
  owner: {
    type?: 'user' | 'service_account';
    service_account?: { id: string; name: string };
    user?: { id: string; name: string; email?: string };
  };
}

const projects = '/organization/projects';
const project = (id: string) => `${projects}/${encodeURIComponent(id)}`;

export const adminApi = {
  listProjects: (includeArchived: boolean) => listAll<Project>(`${projects}?include_archived=${includeArchived}`, 1000, undefined, adminHeaders()),
  getProject: (id: string) => api.get<Project>(project(id), undefined, adminHeaders()),
  createProject: (name: string) => api.post<Project>(projects, { name }, undefined, adminHeaders()),
  renameProject: (id: string, name: string) => api.post<Project>(project(id), { name }, undefined, adminHeaders()),
  archiveProject: (id: string) => api.post<Project>(`${project(id)}/archive`, {}, undefined, adminHeaders()),
  listServiceAccounts: (id: string) => listAll<ServiceAccount>(`${project(id)}/service_accounts`, 1000, undefined, adminHeaders()),
  createServiceAccount: (id: string, name: string) => api.post<CreatedServiceAccount>(`${project(id)}/service_accounts`, { name }, undefined, adminHeaders()),
  deleteServiceAccount: (id: string, accountId: string) => api.delete(`${project(id)}/service_accounts/${encodeURIComponent(accountId)}`, adminHeaders()),
  listApiKeys: (id: string) => listAll<ProjectApiKey>(`${project(id)}/api_keys`, 1000, undefined, adminHeaders()),
  deleteApiKey: (id: string, keyId: string) => api.delete(`${project(id)}/api_keys/${encodeURIComponent(keyId)}`, adminHeaders()),
};
