/* The program that area_image.c loads from bytes with LoadImage: it asks
 * its creator for its command line (it has no boot record), prints its
 * arguments and a global's count, and ends with 42 + that count, which
 * servers/lib reports to its creator (task::exit). */
#include <stdio.h>

static int runs;

int main(int argc, char **argv)
{
    runs++;
    printf("image_probe: %d words, last '%s', runs %d\n", argc, argv[argc - 1], runs);
    return 42 + runs;
}
