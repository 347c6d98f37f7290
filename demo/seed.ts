/**
 * The demo's account: a small agency selling software projects. Kommo gets managers, contacts and
 * deals spread over the Sales pipeline (spec in Markdown, amount, contact, manager, deadline,
 * tags); Linear gets the people the issues can be assigned to. One manager (Bruno) has no Linear
 * account, so his deals show the "assignee not found" warning.
 */
import type { FakeKommo } from '../test/fakes/kommo';
import type { FakeLinear } from '../test/fakes/linear';

export interface DemoSeed {
  /** The Linear user the simulated Linear view acts as by default. */
  linearActorId: string;
  dealIds: number[];
  /** The Sales stage between "Proposal sent" and Won whose rule makes the onboarding issue. */
  contractSignedId: number;
}

const DAY = 86_400_000;

interface DealSeed {
  name: string;
  price: number;
  stage: number;
  manager: 'alice' | 'bruno' | 'chen';
  contact: { name: string; email: string; phone: string };
  tags: string[];
  deadlineInDays: number;
  spec: string;
}

const DEALS: DealSeed[] = [
  {
    name: 'Northwind Logistics: driver mobile app',
    price: 48_000,
    stage: 3,
    manager: 'alice',
    contact: { name: 'Maria Lopez', email: 'maria.lopez@northwind.example', phone: '+1 415 555 0142' },
    tags: ['Enterprise', 'Mobile'],
    deadlineInDays: 60,
    spec: '## Goal\nDrivers see their route, scan parcels and get a **signature** on delivery.\n\n## Scope\n- iOS and Android (React Native)\n- Offline mode for rural routes\n- SSO with the customer\'s Azure AD\n\n## Acceptance\n1. A route of 40 stops loads in under 2 s\n2. Scans sync within a minute of coverage returning',
  },
  {
    name: 'Blue Harbor Clinic: patient booking portal',
    price: 22_500,
    stage: 2,
    manager: 'chen',
    contact: { name: 'Dr. Aisha Karim', email: 'a.karim@blueharbor.example', phone: '+44 20 7946 0321' },
    tags: ['Urgent'],
    deadlineInDays: 21,
    spec: '## Scope\n- Online booking for 6 doctors, 3 rooms\n- SMS reminders (Twilio)\n- Export to the clinic\'s `HL7` feed\n\nDesign reference: https://example.com/blueharbor-mockups',
  },
  {
    name: 'Ferreira & Filhos: ERP integration',
    price: 15_000,
    stage: 1,
    manager: 'bruno',
    contact: { name: 'João Ferreira', email: 'joao@ferreira.example', phone: '+55 11 5555 0199' },
    tags: ['Integration'],
    deadlineInDays: 45,
    spec: 'Sync orders and stock between their Shopify store and *TOTVS Protheus* every 5 minutes.\n\n- Orders → ERP\n- Stock levels → Shopify',
  },
  {
    name: 'Solstice Energy: analytics dashboard',
    price: 31_200,
    stage: 3,
    manager: 'chen',
    contact: { name: 'Emma Lindqvist', email: 'emma@solstice.example', phone: '+46 8 555 012 34' },
    tags: ['Enterprise'],
    deadlineInDays: 35,
    spec: '## Dashboard\n- Hourly production per site (120 sites)\n- Alerts when output drops below forecast\n- Weekly PDF report for the board',
  },
  {
    name: 'Kite & Co: website relaunch',
    price: 8_900,
    stage: 0,
    manager: 'alice',
    contact: { name: 'Tom Becker', email: 'tom@kiteco.example', phone: '+49 30 5555 0117' },
    tags: [],
    deadlineInDays: 30,
    spec: 'New marketing site on Next.js with a headless CMS; 12 pages, 3 languages.',
  },
  {
    name: 'Orbit Fitness: membership app',
    price: 19_750,
    stage: 2,
    manager: 'bruno',
    contact: { name: 'Priya Nair', email: 'priya@orbitfit.example', phone: '+1 212 555 0178' },
    tags: ['Mobile'],
    deadlineInDays: 50,
    spec: '## Features\n- Class booking and waitlists\n- Stripe subscriptions\n- Apple Health sync',
  },
];

export function seedDemo(kommo: FakeKommo, linear: FakeLinear): DemoSeed {
  const { defaults } = kommo;
  // Kommo: the default user is Alice (alice@example.com, admin).
  const users = {
    alice: defaults.userId,
    bruno: kommo.addUser({ name: 'Bruno Costa', email: 'bruno@agency.example' }).id,
    chen: kommo.addUser({ name: 'Chen Wei', email: 'chen@agency.example' }).id,
  };
  const pipeline = kommo.store.pipelines.get(defaults.pipelineId);
  const stages = defaults.openStatusIds;
  if (!pipeline || stages.length === 0) throw new Error('the fake Kommo has no default pipeline');

  // Linear: Alice and Chen have accounts with the same email; Dana is the developer who works the issues.
  linear.store.addUser({ name: 'Alice Manager', email: 'alice@example.com' });
  linear.store.addUser({ name: 'Chen Wei', email: 'chen@agency.example' });
  const dana = linear.store.addUser({ name: 'Dana Developer', email: 'dana@agency.example' });
  linear.store.addUser({ name: 'Eli Designer', email: 'eli@agency.example' });

  const now = Date.now();
  const dealIds = DEALS.map((deal) => {
    const contact = kommo.addContact({ ...deal.contact, responsibleUserId: users[deal.manager] });
    // The client's company (the part of the deal's name before the colon): its Linear customer.
    const company = kommo.addCompany({ name: deal.name.split(':')[0] ?? deal.name, responsibleUserId: users[deal.manager], contactIds: [contact.id] });
    return kommo.addLead({
      companyId: company.id,
      name: deal.name,
      price: deal.price,
      responsibleUserId: users[deal.manager],
      statusId: stages[Math.min(deal.stage, stages.length - 1)],
      tags: deal.tags,
      contactIds: [contact.id],
      mainContactId: contact.id,
      customFields: {
        [defaults.specFieldId]: deal.spec,
        [defaults.deadlineFieldId]: new Date(now + deal.deadlineInDays * DAY),
      },
    }).id;
  });
  // Added after the deals are placed, so none starts there: moving one in is what the demo shows.
  const contractSigned = kommo.store.addStage(pipeline.id, 'Contract signed');
  return { linearActorId: dana.id, dealIds, contractSignedId: contractSigned.id };
}

/**
 * Installation settings for the demo: "Contract signed" makes an onboarding issue, Won the
 * delivery issue (the rule without an id keeps the key every Won issue has); urgent and
 * enterprise deals get higher priorities; a completed issue gives the manager a call task.
 */
export function demoSettings(seed: Pick<DemoSeed, 'contractSignedId'>) {
  return {
    rules: [
      { id: 'onboarding', name: 'Onboarding', statusId: seed.contractSignedId, labels: [] },
      { name: 'Delivery', labels: [] },
    ],
    priorityTags: [
      { tag: 'Urgent', priority: 1 },
      { tag: 'Enterprise', priority: 2 },
    ],
    defaultPriority: 3,
    followUp: { completed: { task: true, dueInWorkingHours: 4 } },
    // Won deals' companies become Linear customers with their revenue and the deal as a request.
    customers: { enabled: true, tierRule: { tags: [{ tag: 'Enterprise', tier: 'Enterprise' }] } },
  };
}
