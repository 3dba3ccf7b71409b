// The schema by area; drizzle-kit reads this file. Row-level security, grants and triggers that
// drizzle-kit cannot express live in the custom migrations of drizzle/ (see README, "Tenancy").
export * from './enums';
export * from './clients';
export * from './access';
export * from './brand';
export * from './knowledge';
export * from './agent-work';
export * from './engagement';
export * from './competition';
export * from './learning';
export * from './audit';
export * from './webhooks';
export * from './retention';
export * from './channels';
export * from './relations';
