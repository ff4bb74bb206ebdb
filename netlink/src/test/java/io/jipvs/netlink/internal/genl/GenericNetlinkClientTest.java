package io.jipvs.netlink.internal.genl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.AttributeWriter;
import io.jipvs.netlink.internal.NetlinkConnection;
import io.jipvs.netlink.nltest.ScriptedTransport;
import io.jipvs.netlink.nltest.ScriptedTransport.Reply;
import org.junit.jupiter.api.Test;

/** nlctrl family resolution (CTRL_CMD_GETFAMILY → CTRL_CMD_NEWFAMILY). */
class GenericNetlinkClientTest {

    private static byte[] ipvsFamilyAttributes() {
        return new AttributeWriter().string(GenericNetlink.CTRL_ATTR_FAMILY_NAME, "IPVS")
                .u16(GenericNetlink.CTRL_ATTR_FAMILY_ID, 0x2a).u32(GenericNetlink.CTRL_ATTR_VERSION, 1)
                .u32(GenericNetlink.CTRL_ATTR_HDRSIZE, 0).u32(GenericNetlink.CTRL_ATTR_MAXATTR, 6)
                .nested(GenericNetlink.CTRL_ATTR_OPS, ops -> ops
                        .nested(1, op -> op.u32(GenericNetlink.CTRL_ATTR_OP_ID, 4)
                                .u32(GenericNetlink.CTRL_ATTR_OP_FLAGS, 0x7))
                        .nested(2, op -> op.u32(GenericNetlink.CTRL_ATTR_OP_ID, 1)
                                .u32(GenericNetlink.CTRL_ATTR_OP_FLAGS, 0x3)))
                .toByteArray();
    }

    @Test
    void familyReplyIsParsedWithItsOperations() {
        GenlFamily f = GenericNetlinkClient.parseFamily(ipvsFamilyAttributes(), "t");
        assertEquals("IPVS", f.name());
        assertEquals(0x2a, f.id());
        assertEquals(6, f.maxAttribute());
        assertTrue(f.supportsDump(4));
        assertFalse(f.supportsDump(1));
    }

    @Test
    void familyIdIsCachedPerClient() {
        int[] lookups = {0};
        ScriptedTransport kernel = new ScriptedTransport(req -> {
            lookups[0]++;
            return Reply.data(ScriptedTransport.reply(req, GenericNetlink.GENL_ID_CTRL, 0,
                    new GenlMessage(GenericNetlink.CTRL_CMD_NEWFAMILY, 2, ipvsFamilyAttributes()).encode()));
        });
        GenericNetlinkClient client = new GenericNetlinkClient(new NetlinkConnection(kernel));
        assertEquals(0x2a, client.family("IPVS").id());
        assertEquals(0x2a, client.family("IPVS").id());
        assertEquals(1, lookups[0]);
        client.forget("IPVS");
        client.family("IPVS");
        assertEquals(2, lookups[0]);
    }

    @Test
    void unknownFamilyIsEnoent() {
        GenericNetlinkClient client = new GenericNetlinkClient(
                new NetlinkConnection(new ScriptedTransport(req -> Reply.error(Errno.ENOENT))));
        NetlinkException e = assertThrows(NetlinkException.class, () -> client.family("IPVS"));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void familyReplyWithoutIdIsAProtocolError() {
        byte[] attrs = new AttributeWriter().string(GenericNetlink.CTRL_ATTR_FAMILY_NAME, "IPVS").toByteArray();
        assertThrows(NetlinkException.class, () -> GenericNetlinkClient.parseFamily(attrs, "t"));
    }
}
