import { BadRequestException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

export interface NewOrder {
  item: string;
  quantity: number;
}

export interface Order extends NewOrder {
  id: string;
  source: 'http' | 'marketplace';
  placedAt: string;
}

export function createOrder(input: NewOrder, source: Order['source']): Order {
  return { id: randomUUID(), source, ...input, placedAt: new Date().toISOString() };
}

/** Checks a request body by hand: the sample carries no validation library. */
export function parseNewOrder(body: unknown): NewOrder {
  const { item, quantity } = (body ?? {}) as Partial<Record<keyof NewOrder, unknown>>;
  if (typeof item !== 'string' || item.trim() === '') {
    throw new BadRequestException('"item" must be a non-empty string');
  }
  if (!Number.isInteger(quantity) || (quantity as number) < 1) {
    throw new BadRequestException('"quantity" must be an integer >= 1');
  }
  return { item, quantity: quantity as number };
}
