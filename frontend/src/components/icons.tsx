import type { SVGProps } from 'react';

/** The handful of 16px stroke icons the dashboard uses; inline so there is no icon dependency. */
function Icon({ d, ...rest }: SVGProps<SVGSVGElement> & { d: string }) {
  return (
    <svg
      viewBox="0 0 16 16"
      width="14"
      height="14"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      {...rest}
    >
      <path d={d} />
    </svg>
  );
}

type P = SVGProps<SVGSVGElement>;
export const PlayIcon = (p: P) => <Icon d="M5 3.5v9l7-4.5z" {...p} />;
export const StopIcon = (p: P) => <Icon d="M4.5 4.5h7v7h-7z" {...p} />;
export const RestartIcon = (p: P) => <Icon d="M13 8a5 5 0 1 1-1.5-3.6M13 2.5v2.5h-2.5" {...p} />;
export const TrashIcon = (p: P) => <Icon d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5" {...p} />;
export const PlusIcon = (p: P) => <Icon d="M8 3v10M3 8h10" {...p} />;
export const SearchIcon = (p: P) => <Icon d="M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10zM14 14l-3.5-3.5" {...p} />;
export const LockIcon = (p: P) => <Icon d="M4.5 7.5h7v6h-7zM6 7.5V5.5a2 2 0 0 1 4 0v2" {...p} />;
export const XIcon = (p: P) => <Icon d="M4 4l8 8M12 4l-8 8" {...p} />;
export const EyeIcon = (p: P) => (
  <Icon
    d="M1.5 8s2.4-4.5 6.5-4.5S14.5 8 14.5 8 12.1 12.5 8 12.5 1.5 8 1.5 8zM8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4z"
    {...p}
  />
);
