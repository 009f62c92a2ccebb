// The English catalogue, its own chunk: a visit downloads only the language it shows.
import { catalogueOf, type MessageTree } from "./catalogue.ts";

export const files = import.meta.glob<MessageTree>("./locales/en/*.json", { eager: true, import: "default" });
export default catalogueOf(files);
