/**
 * The Customers calls: whether the workspace has the feature, the customer upsert (keyed by our
 * external id) and the customer request on an issue, created with our id so a retry is a no-op.
 */
import type { z } from 'zod';
import { AppError } from '../errors';
import {
  CustomerNeedCreateResponse,
  CustomerNeedUpdateResponse,
  CustomersEnabledResponse,
  CustomerUpsertResponse,
  IssueNeedsResponse,
  type CustomerNeedInput,
  type CustomerUpsertInput,
  type LinearCustomerNeed,
} from './customer-schemas';
import { isAlreadyExists } from './errors';
import type { LinearOperationName } from './operations';

/** One typed operation against Linear: the operation's name, its variables and the answer's schema. */
export type LinearRun = <S extends z.ZodType>(name: LinearOperationName, variables: Record<string, unknown>, schema: S) => Promise<z.infer<S>>;

export type { CustomerNeedInput, CustomerUpsertInput, LinearCustomerNeed };

export interface LinearCustomerApi {
  /** The workspace's plan includes Customers (`Organization.customersEnabled`). */
  customersEnabled(): Promise<boolean>;
  upsertCustomer(input: CustomerUpsertInput): Promise<{ id: string }>;
  /** Creates the request with our id; an id already taken means an earlier attempt made it. */
  createCustomerNeedWithId(input: CustomerNeedInput): Promise<void>;
  /** Moves a request to another customer (the deal changed company). */
  moveCustomerNeed(needId: string, customerExternalId: string): Promise<void>;
  /** The customer requests on the issue; undefined when Linear has no such issue. */
  issueNeeds(issueId: string): Promise<LinearCustomerNeed[] | undefined>;
}

export function customerApi(run: LinearRun): LinearCustomerApi {
  return {
    customersEnabled: async () => (await run('customersEnabled', {}, CustomersEnabledResponse)).organization.customersEnabled,
    async upsertCustomer(input) {
      const { customerUpsert } = await run('customerUpsert', { input }, CustomerUpsertResponse);
      if (!customerUpsert.success || !customerUpsert.customer) throw new AppError('linear_unavailable', 'Linear did not confirm the customer upsert');
      return { id: customerUpsert.customer.id };
    },
    async createCustomerNeedWithId(input) {
      try {
        const { customerNeedCreate } = await run('customerNeedCreate', { input }, CustomerNeedCreateResponse);
        if (!customerNeedCreate.success) throw new AppError('linear_unavailable', 'Linear did not confirm the customer request');
      } catch (error) {
        if (error instanceof AppError && isAlreadyExists(error)) return;
        throw error;
      }
    },
    async moveCustomerNeed(needId, customerExternalId) {
      const { customerNeedUpdate } = await run('customerNeedUpdate', { id: needId, input: { customerExternalId } }, CustomerNeedUpdateResponse);
      if (!customerNeedUpdate.success) throw new AppError('linear_unavailable', 'Linear did not confirm the customer request update');
    },
    async issueNeeds(issueId) {
      try {
        return (await run('issueNeeds', { id: issueId }, IssueNeedsResponse)).issue?.needs.nodes;
      } catch (error) {
        if (error instanceof AppError && error.code === 'linear_not_found') return undefined;
        throw error;
      }
    },
  };
}
