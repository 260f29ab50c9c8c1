import type { Operation } from '../context';

export const userOperations: Record<string, Operation> = {};
