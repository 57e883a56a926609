package org.asrworkbench.robustness;

import org.asrworkbench.app.service.SessionFile;
import org.asrworkbench.app.service.SessionRecovery;

import java.nio.file.Path;


/**
 * A workbench process as {@link SessionRecoveryTest} kills it: it starts session recovery,
 * autosaves a session, says {@code ready} and waits to be killed.
 */
public final class KilledWorkbench {
    private KilledWorkbench() {
    }

    public static void main(String[] args) throws Exception {
        Path autosave = Path.of(args[0]);
        new SessionRecovery(autosave).start();
        SessionRecoveryTest.session("killed").write(autosave);
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(120_000);
    }

}
