import { sql, type Kysely } from "kysely";
import { defaultProjectId } from "../../domain/projects.js";
import type { DialectFeatures } from "../sql/dialect-features.js";
import { createObjectTable } from "./0001-object-tables.js";

/** Object tables whose lists are not nested under a parent: they are listed per project. */
const listedPerProject = ["assistants", "threads", "files", "vector_stores", "responses"];

/**
 * Projects: every object table gets the project its rows belong to (rows stored before belong to the
 * default project), and the admin API's projects, service accounts and API keys get tables of their own.
 */
export function projectsMigration(features: DialectFeatures) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const tables = await db.introspection.getTables();
      for (const table of tables) {
        const columns = new Set(table.columns.map((column) => column.name));
        if (!columns.has("body") || !columns.has("parent_id") || columns.has("project_id")) continue;
        await db.schema
          .alterTable(table.name)
          .addColumn("project_id", "text", (column) => column.notNull().defaultTo(defaultProjectId))
          .execute();
      }
      for (const table of listedPerProject) {
        await db.schema.createIndex(`${table}_project`).on(table).columns(["project_id", "seq"]).execute();
      }
      for (const table of ["projects", "service_accounts", "api_keys"]) await createObjectTable(db, features, table);
      const project = { id: defaultProjectId, object: "organization.project", name: "Default project", created_at: Math.floor(Date.now() / 1000), archived_at: null, status: "active" };
      await sql`insert into projects (id, created_at, status, body, project_id)
        values (${project.id}, ${project.created_at}, ${project.status}, ${JSON.stringify(project)}, ${project.id})`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["projects", "service_accounts", "api_keys"]) await db.schema.dropTable(table).execute();
    },
  };
}
