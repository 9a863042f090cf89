import type { CheckType } from '@nop/protocol';

/**
 * A readable, valid check id (protocol CheckId: ^[a-z0-9][a-z0-9_.-]{0,63}$) made from the type and
 * target, so the new-agent form needs no extra field: "https://api.example.com/health" -> "http-api.example.com-health".
 */
export function suggestCheckId(type: CheckType, target: string): string {
  const cleaned = target
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-_.]+|[-_.]+$/g, '');
  const id = cleaned ? `${type}-${cleaned}` : type;
  return id.slice(0, 64).replace(/[-_.]+$/, '');
}
