package io.jipvs.cli.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsOperation;
import org.junit.jupiter.api.Test;

/** ipvsadm 1.31's ipvs_strerror, keyed by operation (spec §10.4). */
class IpvsadmErrorsTest {

    private static String text(IpvsOperation op, int errno) {
        return IpvsadmErrors.text(new IpvsException(op, errno, ExtendedAck.NONE));
    }

    @Test
    void serviceOperations() {
        assertEquals("Service already exists", text(IpvsOperation.ADD_SERVICE, Errno.EEXIST));
        assertEquals("Scheduler or persistence engine not found", text(IpvsOperation.ADD_SERVICE, Errno.ENOENT));
        assertEquals("No such service", text(IpvsOperation.UPDATE_SERVICE, Errno.ESRCH));
        assertEquals("Scheduler or persistence engine not found", text(IpvsOperation.UPDATE_SERVICE, Errno.ENOENT));
        assertEquals("No such service", text(IpvsOperation.DELETE_SERVICE, Errno.ESRCH));
        assertEquals("No such service", text(IpvsOperation.ZERO, Errno.ESRCH));
        assertEquals("No such service", text(IpvsOperation.GET_SERVICE, Errno.ESRCH));
        assertEquals("No such service", text(IpvsOperation.LIST_DESTINATIONS, Errno.ESRCH));
    }

    @Test
    void destinationOperations() {
        assertEquals("Service not defined", text(IpvsOperation.ADD_DESTINATION, Errno.ESRCH));
        assertEquals("Destination already exists", text(IpvsOperation.ADD_DESTINATION, Errno.EEXIST));
        assertEquals("Service not defined", text(IpvsOperation.UPDATE_DESTINATION, Errno.ESRCH));
        assertEquals("No such destination", text(IpvsOperation.UPDATE_DESTINATION, Errno.ENOENT));
        assertEquals("Service not defined", text(IpvsOperation.DELETE_DESTINATION, Errno.ESRCH));
        assertEquals("No such destination", text(IpvsOperation.DELETE_DESTINATION, Errno.ENOENT));
    }

    @Test
    void daemonOperations() {
        assertEquals("Daemon has already run", text(IpvsOperation.START_DAEMON, Errno.EEXIST));
        assertEquals("No daemon is running", text(IpvsOperation.STOP_DAEMON, Errno.ESRCH));
    }

    @Test
    void genericRowsApplyToEveryOperation() {
        for (IpvsOperation op : IpvsOperation.values()) {
            if (op == IpvsOperation.INIT) {
                continue;
            }
            assertEquals("Permission denied (you must be root)", text(op, Errno.EPERM));
            assertEquals("Invalid operation.  Possibly wrong module version, address not unicast, ...",
                    text(op, Errno.EINVAL));
            assertEquals("Protocol not available", text(op, Errno.ENOPROTOOPT));
            assertEquals("Memory allocation problem", text(op, Errno.ENOMEM));
            assertEquals("Operation not supported with IPv6", text(op, Errno.EOPNOTSUPP));
            assertEquals("Operation not supported with specified address family", text(op, Errno.EAFNOSUPPORT));
            assertEquals("Module is wrong version", text(op, Errno.EMSGSIZE));
        }
    }

    @Test
    void unmappedErrnosFallBackToStrerror() {
        assertEquals("Numerical result out of range", text(IpvsOperation.ADD_DESTINATION, Errno.ERANGE));
        assertEquals("No such device", text(IpvsOperation.START_DAEMON, Errno.ENODEV));
        assertEquals("File exists", text(IpvsOperation.DELETE_DESTINATION, Errno.EEXIST));
        assertEquals("No such process", text(IpvsOperation.LIST_SERVICES, Errno.ESRCH));
    }

    @Test
    void startupFailureIsIpvsadmsTwoLineMessage() {
        IpvsException noIpvs = new IpvsException(IpvsOperation.INIT, Errno.ENOENT, ExtendedAck.NONE);
        assertEquals("Can't initialize ipvs: Protocol not available\n"
                + "Are you sure that IP Virtual Server is built in the kernel or as module?", IpvsadmErrors.text(noIpvs));
        assertEquals(Errno.ENOENT, noIpvs.errno());
        assertEquals("ENOENT", noIpvs.errnoName());
        IpvsException notRoot = new IpvsException(IpvsOperation.INIT, Errno.EPERM, ExtendedAck.NONE);
        assertEquals("Can't initialize ipvs: Permission denied (you must be root)\n"
                + "Are you sure that IP Virtual Server is built in the kernel or as module?", IpvsadmErrors.text(notRoot));
    }
}
