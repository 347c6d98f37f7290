/** Linear's answers and our inputs for the Customers feature (customers and customer requests). */
import { z } from 'zod';

export const CustomersEnabledResponse = z.object({ organization: z.object({ id: z.string(), customersEnabled: z.boolean() }) });

export const CustomerUpsertResponse = z.object({
  customerUpsert: z.object({
    success: z.boolean(),
    customer: z.object({ id: z.string(), name: z.string(), revenue: z.number().nullish(), externalIds: z.array(z.string()) }).nullish(),
  }),
});

export const CustomerNeedCreateResponse = z.object({
  customerNeedCreate: z.object({ success: z.boolean(), need: z.object({ id: z.string(), url: z.string().nullish() }).nullish() }),
});

export const CustomerNeedUpdateResponse = z.object({ customerNeedUpdate: z.object({ success: z.boolean() }) });

const NeedSchema = z.object({
  id: z.string(),
  url: z.string().nullish(),
  customer: z.object({ id: z.string(), externalIds: z.array(z.string()) }).nullish(),
});
export type LinearCustomerNeed = z.infer<typeof NeedSchema>;

export const IssueNeedsResponse = z.object({
  issue: z.object({ id: z.string(), needs: z.object({ nodes: z.array(NeedSchema) }) }).nullish(),
});

/** A customer keyed by our external id: an upsert with the same id updates it, never makes a second. */
export interface CustomerUpsertInput {
  externalId: string;
  name: string;
  domains?: string[];
  /** Annual revenue in the workspace's revenue currency, whole units (Linear's Int). */
  revenue?: number;
  ownerId?: string;
  tierName?: string;
}

/** A customer request with our id, generated and stored before the call. */
export interface CustomerNeedInput {
  id: string;
  issueId: string;
  customerExternalId: string;
  attachmentUrl: string;
  body: string;
  /** 0 = normal, 1 = important. */
  priority: 0 | 1;
}
