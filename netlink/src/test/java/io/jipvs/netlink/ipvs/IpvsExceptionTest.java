package io.jipvs.netlink.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.NetlinkException;
import org.junit.jupiter.api.Test;

/** The library speaks in kernel terms: operation, errno, the kernel's own extended-ACK text. */
class IpvsExceptionTest {

    @Test
    void messageIsTheOperationAndTheCLibrarysText() {
        IpvsException e = new IpvsException(IpvsOperation.ADD_SERVICE, Errno.EEXIST, ExtendedAck.NONE);
        assertEquals("add service: File exists", e.getMessage());
        assertEquals(IpvsOperation.ADD_SERVICE, e.ipvsOperation());
        assertEquals("EEXIST", e.errnoName());
    }

    @Test
    void extendedAckTextIsKept() {
        IpvsException e = new IpvsException(IpvsOperation.ADD_DESTINATION, Errno.EINVAL,
                new ExtendedAck("bad weight", 40));
        assertEquals("add destination: Invalid argument (bad weight)", e.getMessage());
        assertEquals("bad weight", e.extendedAckMessage());
    }

    @Test
    void relabelsALowerLevelFailure() {
        NetlinkException cause = NetlinkException.of("resolve family", Errno.ENOENT);
        IpvsException e = IpvsException.of(IpvsOperation.INIT, cause);
        assertEquals("initialize IPVS: No such file or directory", e.getMessage());
        assertSame(cause, e.getCause());
        assertSame(e, IpvsException.of(IpvsOperation.INIT, e));
    }
}
