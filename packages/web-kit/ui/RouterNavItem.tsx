import type { ComponentType, ReactNode } from 'react';
import { NavList } from '@primer/react';
import { useNavigate } from 'react-router';

/** A navigation pane entry that moves by the router (a real link for new tabs and assistive technology). */
export function RouterNavItem({ to, label, icon: Icon, current, trailing }: { to: string; label: string; icon: ComponentType; current: boolean; trailing?: ReactNode }) {
  const navigate = useNavigate();
  return (
    <NavList.Item
      href={to}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate(to);
      }}
    >
      <NavList.LeadingVisual>
        <Icon />
      </NavList.LeadingVisual>
      {label}
      {trailing ? <NavList.TrailingVisual>{trailing}</NavList.TrailingVisual> : null}
    </NavList.Item>
  );
}
