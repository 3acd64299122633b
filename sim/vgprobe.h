/* Tells the user when Valgrind runs chacmsim without the option it needs. */
#ifndef CHACM_SIM_VGPROBE_H
#define CHACM_SIM_VGPROBE_H

/* Prints a hint to stderr under Valgrind without exact registers at faults. */
void sim_valgrind_hint(void);

#endif /* CHACM_SIM_VGPROBE_H */
