import type { Operation } from '../context';

export const authOperations: Record<string, Operation> = {};
