import {
  IconActivityHeartbeat,
  IconAlertTriangle,
  IconBellOff,
  IconBellPause,
  IconBellRinging,
  IconBulb,
  IconCalendarTime,
  IconChartBar,
  IconChecks,
  IconFileText,
  IconFingerprint,
  IconFlame,
  IconInfoCircle,
  IconHistory,
  IconListCheck,
  IconPlugConnected,
  IconRoute,
  IconSend,
  IconShieldCheck,
  IconSpeakerphone,
  IconStack2,
  IconStairsUp,
  IconTool,
  IconUserCheck,
  IconUsers,
  IconUsersGroup,
  IconWorld,
  type TablerIcon,
} from '@tabler/icons-react';

/** A page of a stage that exists today; the navigation lists it under its stage. */
export interface StagePageLink {
  path: string;
  label: string;
  /** One line on the stage's landing page. */
  description: string;
  icon: TablerIcon;
  /** The planned features (by name, in any stage) this page delivers, so landing pages stop calling them planned. */
  delivers?: readonly string[];
}

export interface PlannedFeature {
  name: string;
  description: string;
  icon: TablerIcon;
}

/** One of the four stages of incident management; each owns a top-level page. */
export interface Stage {
  path: '/prepare' | '/detect' | '/respond' | '/learn';
  label: string;
  /** Short line under the label in the navigation. */
  summary: string;
  /** Intro paragraph of the stage page. */
  description: string;
  icon: TablerIcon;
  color: string;
  /** Its pages available today. */
  pages?: readonly StagePageLink[];
  planned: readonly PlannedFeature[];
}

export const STAGES: readonly Stage[] = [
  {
    path: '/prepare',
    label: 'Prepare',
    summary: 'Services, on-call, SOPs, monitors',
    description:
      'Before anything breaks: know every service, its owner, its on-call and its SOP, and watch it. ' +
      'This stage decides how every later one goes.',
    icon: IconShieldCheck,
    color: 'teal',
    pages: [
      {
        path: '/prepare/services',
        label: 'Services',
        description:
          'Services, their owning teams and how their alerts become incidents; integrations and keys.',
        icon: IconStack2,
        delivers: ['Service catalog', 'Integrations'],
      },
    ],
    planned: [
      {
        name: 'Service catalog',
        description:
          'Services, owning teams and dependencies, with a preparedness score that explains each fix.',
        icon: IconStack2,
      },
      {
        name: 'On-call schedules',
        description: "Rotations and overrides computed in each schedule's own time zone, DST included.",
        icon: IconCalendarTime,
      },
      {
        name: 'Escalation policies',
        description: 'Who is paged, in which order, and how long each step waits for an acknowledgement.',
        icon: IconStairsUp,
      },
      {
        name: 'SOPs',
        description:
          'Versioned step lists attached to services or alert labels, run as checklists in incidents.',
        icon: IconListCheck,
      },
      {
        name: 'Monitors and heartbeats',
        description: 'Synthetic checks and heartbeats that raise an alert when a service stops answering.',
        icon: IconActivityHeartbeat,
      },
    ],
  },
  {
    path: '/detect',
    label: 'Detect',
    summary: 'Alerts, silences, routes',
    description:
      'The first thing that happens in an incident. Good alerting means we learn about a problem the moment ' +
      'it starts, never from customers first.',
    icon: IconBellRinging,
    color: 'orange',
    pages: [
      {
        path: '/detect/alerts',
        label: 'Alerts',
        description: 'Everything firing, live, with filters by status, service and labels.',
        icon: IconAlertTriangle,
        delivers: ['Alerts'],
      },
      {
        path: '/detect/incidents',
        label: 'Incidents',
        description: 'Alerts grouped into incidents: acknowledge, resolve, and read their timeline.',
        icon: IconFlame,
      },
      {
        path: '/detect/silences',
        label: 'Silences',
        description: 'Mute known noise for a while, by label matchers.',
        icon: IconBellOff,
        delivers: ['Silences'],
      },
      {
        path: '/detect/routes',
        label: 'Routes',
        description: 'Which service takes each alert, with a dry run that explains why.',
        icon: IconRoute,
        delivers: ['Routes'],
      },
      {
        path: '/detect/maintenance',
        label: 'Maintenance',
        description: 'Planned work that holds new incidents, once or every week.',
        icon: IconBellPause,
        delivers: ['Maintenance windows'],
      },
    ],
    planned: [
      {
        name: 'Alerts',
        description:
          'Everything firing, deduplicated per service: from Prometheus, Alertmanager, PagerDuty Events v2 and webhooks.',
        icon: IconAlertTriangle,
      },
      {
        name: 'Silences',
        description: 'Mute known noise for a while; compatible with the Alertmanager API, so amtool works.',
        icon: IconBellOff,
      },
      {
        name: 'Routes',
        description: 'Label matchers that send each alert to the right service and group it.',
        icon: IconRoute,
      },
      {
        name: 'Maintenance windows',
        description: 'Planned work that holds notifications without losing a single alert.',
        icon: IconTool,
      },
      {
        name: 'Integrations',
        description: 'Endpoints, keys and ready-to-paste snippets for each alert source.',
        icon: IconPlugConnected,
      },
    ],
  },
  {
    path: '/respond',
    label: 'Respond',
    summary: 'Incidents, on-call, status pages',
    description:
      'Stay calm, follow the SOP, read the state of the system, find the cause and bring in the right people ' +
      'at the right severity.',
    icon: IconFlame,
    color: 'red',
    pages: [
      {
        path: '/respond/on-call',
        label: 'On call',
        description: 'Who is on call now for every schedule, and your own shifts for the next two weeks.',
        icon: IconUserCheck,
        delivers: ['On-call now'],
      },
      {
        path: '/respond/schedules',
        label: 'Schedules',
        description: 'Rotations in layers, overrides and gaps on a timeline, every change previewed.',
        icon: IconCalendarTime,
        delivers: ['On-call schedules'],
      },
      {
        path: '/respond/escalation-policies',
        label: 'Escalation policies',
        description: 'Who is paged in which order, how long each step waits; test pages by the real path.',
        icon: IconStairsUp,
        delivers: ['Escalation policies'],
      },
      {
        path: '/respond/channels',
        label: 'Channels',
        description: 'Shared places to notify: Slack, Teams, Discord, Mattermost, Telegram, ntfy, webhooks.',
        icon: IconSpeakerphone,
        delivers: ['Notifications'],
      },
    ],
    planned: [
      {
        name: 'Incident command',
        description: 'Severity, commander, roles and the SOP checklist pinned to each incident.',
        icon: IconFlame,
      },
      {
        name: 'On-call now',
        description: 'Who is on call now and next, for every service and schedule.',
        icon: IconUserCheck,
      },
      {
        name: 'Notifications',
        description: 'Every page sent: channel, attempts, delivery and acknowledgement.',
        icon: IconSend,
      },
      {
        name: 'Status pages',
        description: 'Public status, and a "report a problem" form that records customer-detected incidents.',
        icon: IconWorld,
      },
    ],
  },
  {
    path: '/learn',
    label: 'Learn',
    summary: 'Postmortems, action items, reports',
    description:
      'Dig into the cause blamelessly and turn it into follow-up work, so the organisation learns from every incident.',
    icon: IconBulb,
    color: 'grape',
    planned: [
      {
        name: 'Postmortems',
        description: 'Drafts built from the incident timeline: detection, paging path, SOP steps and impact.',
        icon: IconFileText,
      },
      {
        name: 'Action items',
        description: 'Typed follow-ups that close only when the fix is verified, with repeats flagged.',
        icon: IconChecks,
      },
      {
        name: 'Reports',
        description: 'Self-detection rate, time to acknowledge, SOP step durations and repeat incidents.',
        icon: IconChartBar,
      },
    ],
  },
];

export const ABOUT_NAV = {
  path: '/about',
  label: 'About',
  summary: 'Version and health',
  icon: IconInfoCircle,
} as const;

export type AdminArea = 'people' | 'teams' | 'sso' | 'audit';

/** The Admin group of the navigation; MainNav shows each link only to those who may open it. */
export const ADMIN_NAV: readonly {
  path: string;
  label: string;
  summary: string;
  icon: TablerIcon;
  area: AdminArea;
}[] = [
  { path: '/admin/users', label: 'Users', summary: 'People, roles, access', icon: IconUsers, area: 'people' },
  {
    path: '/admin/teams',
    label: 'Teams',
    summary: 'Members, service tokens',
    icon: IconUsersGroup,
    area: 'teams',
  },
  {
    path: '/admin/sso',
    label: 'Single sign-on',
    summary: 'Identity providers, groups',
    icon: IconFingerprint,
    area: 'sso',
  },
  {
    path: '/admin/audit',
    label: 'Audit log',
    summary: 'Who changed what, when',
    icon: IconHistory,
    area: 'audit',
  },
];
