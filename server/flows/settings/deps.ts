/** What the settings page needs: the installation, what Linear and Kommo offer, and how to save. */
import type { Installation } from '../../domain/installation';
import type { InstallationSettings } from '../../domain/settings';
import type { KommoPort, LinearPort, ReferenceDataPort } from '../ports';

/** One entry of the settings history. */
export interface SettingsChange {
  at: Date;
  userId: number | null;
  summary: string;
}

export interface SettingsViewDeps {
  installation: Installation;
  referenceData: ReferenceDataPort;
  linear: Pick<LinearPort, 'viewer' | 'customersEnabled'>;
  publicUrl: string;
  /** This server has a Linear OAuth app, so the page offers "Connect Linear". */
  linearOAuthAvailable: boolean;
  recentChanges(): Promise<SettingsChange[]>;
  /** The setup checklist's stamps: the last webhook from each side, the last preview. */
  setupMarks(): Promise<{ kommoWebhookAt: Date | null; linearWebhookAt: Date | null; previewedAt: Date | null }>;
  /** Drops cached lists so the page shows Linear's and Kommo's current users, teams and fields. */
  refreshLists(): Promise<void>;
}

export interface SettingsPageDeps extends SettingsViewDeps {
  kommo: Pick<KommoPort, 'getLead' | 'getContact'>;
  /** A Linear client for a key that is not saved yet. */
  linearFor(apiKey: string): Pick<LinearPort, 'viewer'>;
  /** Saves the settings and records the change, atomically. */
  saveSettings(settings: InstallationSettings, change: { userId: number | null; summary: string; before: unknown }): Promise<void>;
  saveLinearKey(apiKey: string | null, viewerId: string | null): Promise<void>;
  forgetLinearCaches(): Promise<void>;
  saveLinearWebhookSecret(secret: string): Promise<void>;
  /** A preview succeeded (the checklist's "test deal previewed"). */
  markPreviewed(): Promise<void>;
}
