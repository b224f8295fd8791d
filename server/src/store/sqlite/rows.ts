/**
 * The SQLite engine's row mappers: the shared ones (../rows.ts) reading
 * booleans and JSON through its dialect.
 */
import { type RowMappers, rowMappers } from '../rows.ts';
import { sqliteDialect } from './sql-driver.ts';

export type * from '../rows.ts';
export { toDelivery, toSigningKey } from '../rows.ts';

const mappers: RowMappers = rowMappers(sqliteDialect);

export const { toOtpRequest, toWidget, toAccessToken, toTemplate } = mappers;
