import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../src/auth/principal';
import { readDevVars } from './db/connection';
import { mintDevToken } from './dev-token';

/** `npm run -s token -- --client <slug> --role <role> [--hours 12]`: prints a development token. */
const { values } = parseArgs({
  options: {
    client: { type: 'string', default: 'vita-wellness' },
    role: { type: 'string', default: 'owner' },
    hours: { type: 'string', default: '12' },
  },
});
if (!ROLES.includes(values.role as Role)) {
  console.error(`--role must be one of ${ROLES.join(', ')}`);
  process.exit(2);
}
try {
  console.log(await mintDevToken(readDevVars(), values.client, values.role as Role, Number(values.hours)));
} catch (error) {
  console.error(`token: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
