import { Link } from "react-router";

export default function NotFoundPage() {
  return (
    <section className="panel">
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. <Link to="/servers">Go to your servers</Link>.
      </p>
    </section>
  );
}
