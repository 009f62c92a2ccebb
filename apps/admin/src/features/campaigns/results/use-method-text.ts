import { useI18n } from "vue-i18n";

/** A method named in the page's language, or in English (`lang: "en"`) when the admin has no wording for its code. */
export interface MethodText {
  text: string;
  lang: "en" | undefined;
}

/**
 * Words a result's method by the stable code the API gives beside the stored English text
 * (`campaignTrust.methods.<CODE>`). A code this admin does not know, or a text without a code,
 * is shown as the API's own English text.
 */
export function useMethodText(): (code: string | null | undefined, text: string | null | undefined) => MethodText | null {
  const { t, te } = useI18n();
  return (code, text) => {
    const key = code ? `campaignTrust.methods.${code}` : null;
    if (key && te(key)) return { text: t(key), lang: undefined };
    return text ? { text, lang: "en" } : null;
  };
}
