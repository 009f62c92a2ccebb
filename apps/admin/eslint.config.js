import vue from "@ltvloop/eslint-config/vue";

export default [...vue];
