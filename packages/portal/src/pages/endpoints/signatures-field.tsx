import { SIGNATURE_SCHEMES, type SignatureScheme } from './webhook-types.js';

const SCHEME_NAMES = Object.keys(SIGNATURE_SCHEMES) as SignatureScheme[];

/** The signature headers each delivery carries: any of the schemes, never none (the last one stays ticked). */
export const SignaturesField = ({
  schemes,
  onChange,
}: {
  schemes: readonly SignatureScheme[];
  onChange: (schemes: SignatureScheme[]) => void;
}) => (
  <fieldset className="fieldset">
    <legend>Signatures</legend>
    <p className="muted small">Signature headers on every delivery; at least one.</p>
    {SCHEME_NAMES.map((scheme) => (
      <label key={scheme} className="check">
        <input
          type="checkbox"
          checked={schemes.includes(scheme)}
          disabled={schemes.length === 1 && schemes.includes(scheme)}
          onChange={(e) =>
            onChange(e.target.checked ? [...schemes, scheme] : schemes.filter((s) => s !== scheme))
          }
        />
        {SIGNATURE_SCHEMES[scheme].label}
      </label>
    ))}
  </fieldset>
);
