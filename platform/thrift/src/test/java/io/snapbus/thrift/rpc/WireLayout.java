package io.snapbus.thrift.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TMemoryInputTransport;

/**
 * What a struct looks like on the wire in TBinaryProtocol: field id to type, with nested structs decoded
 * and simple values kept, read with the bare protocol (no generated code involved in the reading).
 */
record WireLayout(Map<Short, Field> fields) {

    /** One field as sent: its wire type, its value when scalar, its layout when a struct. */
    record Field(byte type, Object value, WireLayout struct) {}

    static WireLayout of(TBase<?, ?> struct) throws TException {
        byte[] bytes = new TSerializer(new TBinaryProtocol.Factory()).serialize(struct);
        return read(new TBinaryProtocol(new TMemoryInputTransport(bytes)));
    }

    static WireLayout read(TProtocol in) throws TException {
        Map<Short, Field> fields = new LinkedHashMap<>();
        in.readStructBegin();
        while (true) {
            TField field = in.readFieldBegin();
            if (field.type == TType.STOP) {
                break;
            }
            Field read = switch (field.type) {
                case TType.STRUCT -> new Field(field.type, null, read(in));
                case TType.BOOL -> new Field(field.type, in.readBool(), null);
                case TType.I32 -> new Field(field.type, in.readI32(), null);
                case TType.I64 -> new Field(field.type, in.readI64(), null);
                case TType.STRING -> new Field(field.type, in.readString(), null);
                default -> {
                    TProtocolUtil.skip(in, field.type);
                    yield new Field(field.type, null, null);
                }
            };
            fields.put(field.id, read);
            in.readFieldEnd();
        }
        in.readStructEnd();
        return new WireLayout(fields);
    }

    /** Field ids mapped to wire types, in the order they were written. */
    Map<Short, Byte> types() {
        Map<Short, Byte> types = new LinkedHashMap<>();
        fields.forEach((id, field) -> types.put(id, field.type()));
        return types;
    }

    WireLayout struct(int id) {
        return field(id).struct();
    }

    Object value(int id) {
        return field(id).value();
    }

    private Field field(int id) {
        Field field = fields.get((short) id);
        if (field == null) {
            throw new AssertionError("no field " + id + " on the wire; fields: " + types());
        }
        return field;
    }
}
