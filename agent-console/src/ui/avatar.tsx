import type { Channel } from '@switchboard/contracts';
import { avatarHue, channelLabel, initials } from '../conversations.js';

/** Initials on a colour fixed per person; a small channel dot when the channel matters. */
export function Avatar({ id, name, url, channel, small }: { id: string; name: string; url?: string | undefined; channel?: Channel; small?: boolean }) {
  const hue = avatarHue(id);
  return (
    <span class={`avatar${small ? ' avatar-small' : ''}`} style={{ '--hue': hue }} aria-hidden="true">
      {initials(name)}
      {url && (
        <img
          src={url}
          alt=""
          loading="lazy"
          referrerpolicy="no-referrer"
          onError={(e) => (e.currentTarget.style.display = 'none') /* blocked or gone: the initials show */}
        />
      )}
      {channel && <span class={`avatar-channel channel-dot-${channel}`} title={channelLabel(channel)} />}
    </span>
  );
}
