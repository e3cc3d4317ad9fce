// Registers, encodes and decodes through the registry at argv[2] with
// @kafkajs/confluent-schema-registry, authenticating with the key argv[3]
// as HTTP Basic password, and prints what it saw as one JSON object
// (internal/registry/api: TestKafkaJS).
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';

const [host, key] = process.argv.slice(2);
const registry = new SchemaRegistry({ host, auth: { username: 'ci', password: key } });

const order = `syntax = "proto3";
package acme.v1;

message Order {
  string id = 1;
  int64 amount = 2;
}
`;
const shipment = `syntax = "proto3";
package acme.v1;

import "acme/v1/order.proto";

message Shipment {
  Order order = 1;
  string carrier = 2;
}
`;
const incompatible = `syntax = "proto3";
package acme.v1;

message Order {
  string id = 1;
  string amount = 2;
}
`;

const out = {};
const { id: orderId } = await registry.register({ type: SchemaType.PROTOBUF, schema: order }, { subject: 'acme/v1/order.proto' });
out.orderId = orderId;
const encoded = await registry.encode(orderId, { id: 'o-1', amount: 42 });
out.magic = encoded[0];
out.wireId = encoded.readInt32BE(1);
const decoded = await registry.decode(encoded);
out.decoded = { id: decoded.id, amount: Number(decoded.amount) };
out.latest = await registry.getLatestSchemaId('acme/v1/order.proto');
out.byVersion = await registry.getRegistryId('acme/v1/order.proto', 1);

const { id: shipmentId } = await registry.register(
  { type: SchemaType.PROTOBUF, schema: shipment, references: [{ name: 'acme/v1/order.proto', subject: 'acme/v1/order.proto', version: 1 }] },
  { subject: 'shipments-value' },
);
out.shipmentId = shipmentId;
const s = await registry.decode(await registry.encode(shipmentId, { order: { id: 'o-2', amount: 7 }, carrier: 'post' }));
out.shipment = { orderId: s.order.id, amount: Number(s.order.amount), carrier: s.carrier };

try {
  await registry.register({ type: SchemaType.PROTOBUF, schema: incompatible }, { subject: 'acme/v1/order.proto' });
  out.incompatible = 'registered';
} catch (e) {
  out.incompatible = { status: e.status ?? null, message: String(e.message) };
}
console.log(JSON.stringify(out));
