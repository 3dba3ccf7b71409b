import { foreignKey, pgTable, unique, uuid, type PgColumnBuilderBase, type PgTableExtraConfigValue } from 'drizzle-orm/pg-core';
import type { BuildExtraConfigColumns } from 'drizzle-orm';
import { clients } from './clients';
import { createdAt, id, indexOn, updatedAt } from './columns';

const tenantColumns = () => ({
  id: id(),
  clientId: uuid('client_id')
    .notNull()
    .references(() => clients.id, { onDelete: 'cascade' }),
});

type TenantColumns<TColumns> = ReturnType<typeof tenantColumns> &
  TColumns & { createdAt: ReturnType<typeof createdAt>; updatedAt: ReturnType<typeof updatedAt> };

/**
 * A tenant-owned table: `id`, `client_id` (cascade from the client), the caller's columns,
 * `created_at`, `updated_at`, and `unique (client_id, id)` — the key children reference, so a
 * row can never point at another tenant's row. That unique index also serves as the
 * `client_id` index. Row-level security, grants and triggers are applied to every tenant table
 * by `app_private.secure_tenant_table()` in the migrations.
 */
export function tenantTable<TName extends string, TColumns extends Record<string, PgColumnBuilderBase>>(
  name: TName,
  columns: TColumns,
  extra?: (t: BuildExtraConfigColumns<TName, TenantColumns<TColumns>, 'pg'>) => PgTableExtraConfigValue[],
) {
  const all = { ...tenantColumns(), ...columns, createdAt: createdAt(), updatedAt: updatedAt() } as TenantColumns<TColumns>;
  return pgTable(name, all, (t) => [unique(`${name}_client_id_id_key`).on(t.clientId, t.id), ...(extra?.(t) ?? [])]);
}

interface TenantParent {
  clientId: Parameters<typeof foreignKey>[0]['foreignColumns'][number];
  id: Parameters<typeof foreignKey>[0]['foreignColumns'][number];
}

/**
 * A reference from a tenant child to a tenant parent, by `(client_id, <column>)`, plus the index
 * that backs it. Postgres checks foreign keys without row-level security, so a plain FK on the
 * id alone would let tenant B point at tenant A's row; the composite key makes that impossible.
 */
export function tenantReference(
  table: string,
  clientId: TenantParent['clientId'],
  column: TenantParent['id'],
  parent: TenantParent,
  onDelete: 'cascade' | 'restrict' = 'cascade',
): PgTableExtraConfigValue[] {
  return [
    foreignKey({ name: `${table}_${column.name}_fkey`, columns: [clientId, column], foreignColumns: [parent.clientId, parent.id] }).onDelete(
      onDelete,
    ),
    indexOn(table, 'client_id', column.name).on(clientId, column),
  ];
}
