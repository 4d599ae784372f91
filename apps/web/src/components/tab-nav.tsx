import { NavLink } from "react-router";

export interface TabLink {
  to: string;
  label: string;
}

/**
 * Tabs that are links: every tab has its own URL, so it can be bookmarked, reloaded and opened
 * in a new window. The current one carries aria-current="page".
 */
export function TabNav({ label, tabs }: { label: string; tabs: readonly TabLink[] }) {
  return (
    <nav aria-label={label} className="tab-nav">
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink to={tab.to} end className={({ isActive }) => (isActive ? "active" : "")}>
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
