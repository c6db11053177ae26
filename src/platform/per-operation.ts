/**
 * Values worked out from a node of a parsed operation and a key (its variables, mostly), kept as long as
 * the node lives: Apollo hands every request with the same text the same parsed document, so what is
 * derived from the document is derived once. At most `limit` keys per node; a node used with ever-new keys
 * (variables that change on every request) starts over.
 */
export function rememberedPerOperation<Node extends object, Value>(
  limit: number,
): (node: Node, key: string, compute: () => Value) => Value {
  const byNode = new WeakMap<Node, Map<string, Value>>();
  return (node, key, compute) => {
    let values = byNode.get(node);
    if (!values) {
      values = new Map();
      byNode.set(node, values);
    }
    let value = values.get(key);
    if (value === undefined) {
      value = compute();
      if (values.size >= limit) values.clear();
      values.set(key, value);
    }
    return value;
  };
}
