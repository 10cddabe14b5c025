import type { JSX } from 'preact';

/** Small stroke icons (24-unit grid), drawn inline so the console needs no icon font. */
function Icon({ d, size = 16, ...rest }: { d: string; size?: number } & JSX.SVGAttributes<SVGSVGElement>) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      <path d={d} />
    </svg>
  );
}

type P = { size?: number; class?: string };
export const IconCheck = (p: P) => <Icon {...p} d="M5 12.5l4.5 4.5L19 7.5" />;
export const IconChecks = (p: P) => <Icon {...p} d="M2 12.5l4.5 4.5L16 7.5M11 15.5l1.5 1.5L22 7.5" />;
export const IconClock = (p: P) => <Icon {...p} d="M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z" />;
export const IconAlert = (p: P) => <Icon {...p} d="M12 8v5M12 16.5v.5M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z" />;
export const IconBack = (p: P) => <Icon {...p} d="M15 18l-6-6 6-6" />;
export const IconSend = (p: P) => <Icon {...p} d="M4 12l16-8-6 16-2.5-6.5L4 12zM11.5 13.5L20 4" />;
export const IconLogout = (p: P) => <Icon {...p} d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 16l-4-4 4-4M6 12h10" />;
export const IconChannels = (p: P) => <Icon {...p} d="M4 7h10M18 7h2M4 17h2M10 17h10M14 4v6M6 14v6" />;
export const IconUser = (p: P) => <Icon {...p} d="M20 21a8 8 0 0 0-16 0M12 13a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9z" />;
export const IconInbox = (p: P) => <Icon {...p} d="M3 13h5l1.5 3h5L16 13h5M5 5h14l2 8v6H3v-6l2-8z" />;
export const IconReply = (p: P) => <Icon {...p} d="M9 14L4 9l5-5M4 9h10a6 6 0 0 1 6 6v4" />;
export const IconPaperclip = (p: P) => <Icon {...p} d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.3 3.3 0 0 1 4.7 4.7L10 17.8a1.7 1.7 0 0 1-2.4-2.4l8-8" />;
export const IconResolve = (p: P) => <Icon {...p} d="M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0zM8 12.5l3 3 5-6" />;
export const IconReopen = (p: P) => <Icon {...p} d="M4 4v6h6M4.6 15a8 8 0 1 0 1.9-8.3L4 10" />;
export const IconDown = (p: P) => <Icon {...p} d="M12 5v14M6 13l6 6 6-6" />;
export const IconWarn = (p: P) => <Icon {...p} d="M12 9.5v4M12 17v.5M10.3 4L2.3 18a2 2 0 0 0 1.7 3h16a2 2 0 0 0 1.7-3L13.7 4a2 2 0 0 0-3.4 0z" />;
export const IconChevron = (p: P) => <Icon {...p} d="M6 9l6 6 6-6" />;
export const IconBook = (p: P) => <Icon {...p} d="M4 19.5A2.5 2.5 0 0 1 6.5 17H20V3H6.5A2.5 2.5 0 0 0 4 5.5zM4 19.5A2.5 2.5 0 0 0 6.5 22H20v-5M9 7.5h7" />;
export const IconSearch = (p: P) => <Icon {...p} d="M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20 20l-4-4" />;
export const IconChat = (p: P) => <Icon {...p} d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12z" />;
export const IconShield = (p: P) => <Icon {...p} d="M12 3l8 3v6c0 5-3.4 8.2-8 9-4.6-.8-8-4-8-9V6l8-3z" />;
export const IconChart = (p: P) => <Icon {...p} d="M4 20h16M7 16v-5M12 16V6M17 16v-8" />;

/** The Switchboard mark: two crossing lines on a rounded square, like patch cords on a board. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="var(--brand)" />
      <path d="M9 10.5c6 0 8 11 14 11M9 21.5c6 0 8-11 14-11" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round" />
      <circle cx="9" cy="10.5" r="2.2" fill="#fff" />
      <circle cx="9" cy="21.5" r="2.2" fill="#fff" />
      <circle cx="23" cy="10.5" r="2.2" fill="#fff" />
      <circle cx="23" cy="21.5" r="2.2" fill="#fff" />
    </svg>
  );
}
