import globals from "globals";
import pluginVue from "eslint-plugin-vue";
import tseslint from "typescript-eslint";
import { ignores, typescript, boundaries } from "./base.js";

/** Vue single-file components with TypeScript script blocks, in the browser. */
export const vue = [
  ...pluginVue.configs["flat/recommended"],
  {
    name: "ltvloop/vue",
    files: ["**/*.vue"],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: [".vue"], sourceType: "module" },
      globals: { ...globals.browser },
    },
    rules: {
      "vue/multi-word-component-names": "off",
      "vue/max-attributes-per-line": "off",
      "vue/singleline-html-element-content-newline": "off",
      "vue/html-self-closing": "off",
    },
  },
];

export default [ignores, ...typescript, boundaries, ...vue];
