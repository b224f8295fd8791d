/**
 * The PostgreSQL engine's row mappers: the shared ones (../rows.ts) reading
 * booleans and JSON through its dialect.
 */
import { type RowMappers, rowMappers } from '../rows.ts';
import { postgresDialect } from './driver.ts';

export type * from '../rows.ts';
export { toDelivery, toSigningKey } from '../rows.ts';

const mappers: RowMappers = rowMappers(postgresDialect);

export const { toOtpRequest, toWidget, toAccessToken, toTemplate } = mappers;
