package org.asrworkbench;

public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("ASR Workbench");
    }
}
