/** What an endpoint receives: every type, or its list of types and patterns. */
export const EventFilter = ({ events }: { events: readonly string[] }) =>
  events.length === 0 ? (
    <span className="muted">every type</span>
  ) : (
    <ul className="tags">
      {events.map((e) => (
        <li key={e}>
          <code>{e}</code>
        </li>
      ))}
    </ul>
  );
