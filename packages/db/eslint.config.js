import base from "@ltvloop/eslint-config/base";

export default [...base];
