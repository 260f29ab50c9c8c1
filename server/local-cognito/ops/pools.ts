import type { Operation } from '../context';

export const poolOperations: Record<string, Operation> = {};
