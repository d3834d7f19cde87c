// Kubernetes name rules, checked at validation time so a typo fails the spec instead of a
// half-applied promotion. Each rule carries the sentence a user needs to fix the name.

export interface NameRule {
  test(value: string): boolean;
  /** what a valid value looks like, for error messages */
  describe: string;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Namespaces, container names, check names. */
export const dns1123Label: NameRule = {
  test: (v) => v.length <= 63 && LABEL.test(v),
  describe: "a DNS-1123 label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit",
};

/** Deployments and Ingresses. */
export const dns1123Subdomain: NameRule = {
  test: (v) => v.length <= 253 && v.split('.').every((part) => LABEL.test(part)),
  describe:
    "a DNS-1123 subdomain: at most 253 lowercase letters, digits, '-' or '.', each dot-separated part starting and ending with a letter or digit",
};

/** Services, whose names must also be valid DNS host labels. */
export const dns1035Label: NameRule = {
  test: (v) => v.length <= 63 && LABEL_1035.test(v),
  describe: "a DNS-1035 label: at most 63 lowercase letters, digits or '-', starting with a letter and ending with a letter or digit",
};

/** Label keys: an optional DNS subdomain prefix and `/`, then a name. */
export const labelKey: NameRule = {
  test: (v) => {
    const slash = v.lastIndexOf('/');
    const name = slash < 0 ? v : v.slice(slash + 1);
    const prefix = slash < 0 ? undefined : v.slice(0, slash);
    if (prefix !== undefined && !dns1123Subdomain.test(prefix)) return false;
    return name.length <= 63 && LABEL_VALUE.test(name);
  },
  describe:
    "a label key: an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
};

/** Label values, e.g. the values `{{variant}}` takes. */
export const labelValue: NameRule = {
  test: (v) => v.length <= 63 && LABEL_VALUE.test(v),
  describe: "a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
};
