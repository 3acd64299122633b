# Toolchain for the ia32 cross build: freestanding 32-bit x86 with the host's
# gcc and Debian's multilib (gcc-multilib; scripts/deps installs it).  Used by
# the ia32 preset, scripts/build-ia32 and the hosted build's ia32 sub-build.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_ASM_COMPILER gcc)
set(CMAKE_C_FLAGS_INIT "-m32 -ffreestanding -fno-pie -fno-stack-protector")
set(CMAKE_ASM_FLAGS_INIT "-m32")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32 -nostdlib -static -no-pie")
# Compiler checks link nothing (there is no C library to link against).
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CHACM_L4_ARCH ia32 CACHE STRING "Architecture directory under l4shim/include/l4 (hosted or ia32)")
