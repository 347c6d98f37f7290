import { z } from 'zod';
import { hal, problem, validationProblem, zodIssues, type Reply } from '../http';
import { pageReply } from '../paging';
import type { Route, RouteContext } from '../router';
import { customFieldJson } from '../serialize';
import type { CustomFieldType } from '../types';

const FIELD_TYPES = [
  'text', 'numeric', 'checkbox', 'select', 'multiselect', 'multitext', 'date', 'url', 'textarea', 'radiobutton',
  'streetaddress', 'smart_address', 'birthday', 'legal_entity', 'date_time', 'items', 'category', 'price',
  'tracking_data', 'linked_entity', 'org_legal_name', 'monetary', 'chained_list', 'file', 'payer', 'supplier',
] as const satisfies readonly CustomFieldType[];

const FieldInput = z.object({
  name: z.string().min(1),
  type: z.enum(FIELD_TYPES),
  code: z.string().regex(/^[A-Z0-9_]+$/).nullable().optional(),
  sort: z.number().int().optional(),
  is_api_only: z.boolean().optional(),
  enums: z.array(z.object({ value: z.string().min(1), sort: z.number().int().optional() })).nullable().optional(),
});

function listFields(ctx: RouteContext): Reply {
  const fields = [...ctx.store.customFields.values()].sort((a, b) => a.sort - b.sort || a.id - b.id).map((f) => customFieldJson(ctx.site, f));
  return pageReply(ctx.site, '/api/v4/leads/custom_fields', ctx.query, 'custom_fields', fields, true);
}

function getField(ctx: RouteContext): Reply {
  const field = ctx.store.customFields.get(ctx.id);
  return field ? hal(customFieldJson(ctx.site, field)) : problem(404, `Custom field ${ctx.id} not found`);
}

function createFields(ctx: RouteContext): Reply {
  if (!Array.isArray(ctx.body) || ctx.body.length === 0) {
    return validationProblem([{ code: 'InvalidType', path: '', detail: 'Body must be a non-empty array of fields.' }]);
  }
  const inputs: z.infer<typeof FieldInput>[] = [];
  for (const [i, item] of ctx.body.entries()) {
    const parsed = FieldInput.safeParse(item);
    if (!parsed.success) {
      return validationProblem(zodIssues(parsed.error), String(i));
    }
    const code = parsed.data.code;
    if (code && (ctx.store.findField(code)?.code === code || inputs.some((f) => f.code === code))) {
      return validationProblem([{ code: 'NotUnique', path: 'code', detail: 'This value is already used.' }], String(i));
    }
    inputs.push(parsed.data);
  }
  const created = inputs.map((input) =>
    ctx.store.addCustomField({
      name: input.name,
      type: input.type,
      code: input.code ?? null,
      ...(input.sort !== undefined && { sort: input.sort }),
      ...(input.is_api_only !== undefined && { isApiOnly: input.is_api_only }),
      ...(input.enums && { enums: input.enums.map((e) => e.value) }),
    }),
  );
  const fields = created.map((f) => customFieldJson(ctx.site, f));
  return hal({ _total_items: fields.length, _embedded: { custom_fields: fields } });
}

export const customFieldRoutes: Route[] = [
  { method: 'GET', path: '/api/v4/leads/custom_fields', handler: listFields },
  { method: 'GET', path: '/api/v4/leads/custom_fields/:id', handler: getField },
  { method: 'POST', path: '/api/v4/leads/custom_fields', handler: createFields },
];
