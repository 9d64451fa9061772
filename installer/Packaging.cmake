# Install rules and the Debian package (`cpack -G DEB` in the build folder). Layout under the
# prefix (/usr in the package):
#   bin/                                  uncertainty-explorer, uncertainty-cli, uncertainty-bench
#   share/uncertainty-explorer/           models/, resources/ (samples, compare, tta), scripts/:
#                                         the source tree's layout, which the apps find beside
#                                         their own folder (core/io/DataDir.h)
#   share/applications, share/metainfo, share/mime/packages, share/icons/hicolor, share/man/man1,
#   share/doc/uncertainty-explorer
include(GNUInstallDirs)

set(UE_APP_ID io.github.uncertainty_explorer.UncertaintyExplorer)
set(UE_PACKAGE_PREFIX /usr)
set(UE_DATA_DESTINATION ${CMAKE_INSTALL_DATADIR}/uncertainty-explorer)
# What the man pages name: the package's folder, not wherever this build would install.
set(UE_PACKAGE_DATADIR ${UE_PACKAGE_PREFIX}/share/uncertainty-explorer)
set(UE_INSTALLER_DIR ${PROJECT_SOURCE_DIR}/installer)
set(UE_INSTALLER_BUILD_DIR ${PROJECT_BINARY_DIR}/installer)
set(UE_PYTHON3 /usr/bin/python3 CACHE FILEPATH "Python 3 that writes the man pages")
file(MAKE_DIRECTORY ${UE_INSTALLER_BUILD_DIR}/man ${UE_INSTALLER_BUILD_DIR}/doc)

# --- binaries, and their man pages (written from their own --help at build time) ---
set(UE_PACKAGED_APPS uncertainty-bench uncertainty-cli)
if(UE_BUILD_GUI)
    list(APPEND UE_PACKAGED_APPS uncertainty-explorer)
endif()
set(UE_MAN_PAGES)
foreach(app IN LISTS UE_PACKAGED_APPS)
    install(TARGETS ${app} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    set(page ${UE_INSTALLER_BUILD_DIR}/man/${app}.1)
    add_custom_command(
        OUTPUT ${page}.gz
        COMMAND ${UE_PYTHON3} ${UE_INSTALLER_DIR}/man/genman.py
            --binary $<TARGET_FILE:${app}> --template ${UE_INSTALLER_DIR}/man/${app}.1.in
            --out ${page} --version ${PROJECT_VERSION} --datadir ${UE_PACKAGE_DATADIR}
            --replace ${PROJECT_SOURCE_DIR}=${UE_PACKAGE_DATADIR}
        COMMAND gzip -9nf ${page}
        DEPENDS ${app} ${UE_INSTALLER_DIR}/man/genman.py ${UE_INSTALLER_DIR}/man/${app}.1.in
        COMMENT "Writing the man page of ${app}"
        VERBATIM)
    list(APPEND UE_MAN_PAGES ${page}.gz)
endforeach()
add_custom_target(man_pages ALL DEPENDS ${UE_MAN_PAGES})
install(FILES ${UE_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# --- the demo: models, samples, the methods and TTA examples, the bench's PyTorch side ---
file(GLOB UE_DEMO_MODELS ${PROJECT_SOURCE_DIR}/models/*.pt)
install(FILES ${UE_DEMO_MODELS} ${PROJECT_SOURCE_DIR}/models/fmnist-ensemble.json
              ${PROJECT_SOURCE_DIR}/models/bundle.py
        DESTINATION ${UE_DATA_DESTINATION}/models)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/models/export_your_model.py
        DESTINATION ${UE_DATA_DESTINATION}/models)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/ DESTINATION ${UE_DATA_DESTINATION}/resources)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/bench_pytorch.py
        DESTINATION ${UE_DATA_DESTINATION}/scripts)

# --- desktop integration ---
if(UE_BUILD_GUI)
    install(FILES ${UE_INSTALLER_DIR}/${UE_APP_ID}.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${UE_INSTALLER_DIR}/${UE_APP_ID}.metainfo.xml
            DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    install(FILES ${UE_INSTALLER_DIR}/uncertainty-explorer-mime.xml
            DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages RENAME uncertainty-explorer.xml)
    install(FILES ${UE_INSTALLER_DIR}/icons/uncertainty-explorer.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
    find_program(UE_RSVG_CONVERT rsvg-convert)
    if(UE_RSVG_CONVERT)
        set(UE_ICON_PNGS)
        foreach(size 16 22 24 32 48 64 128 256)
            set(png ${UE_INSTALLER_BUILD_DIR}/icons/${size}x${size}/uncertainty-explorer.png)
            add_custom_command(
                OUTPUT ${png}
                COMMAND ${CMAKE_COMMAND} -E make_directory ${UE_INSTALLER_BUILD_DIR}/icons/${size}x${size}
                COMMAND ${UE_RSVG_CONVERT} -w ${size} -h ${size}
                    ${UE_INSTALLER_DIR}/icons/uncertainty-explorer.svg -o ${png}
                DEPENDS ${UE_INSTALLER_DIR}/icons/uncertainty-explorer.svg
                VERBATIM)
            list(APPEND UE_ICON_PNGS ${png})
            install(FILES ${png}
                    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
        endforeach()
        add_custom_target(icon_pngs ALL DEPENDS ${UE_ICON_PNGS})
    else()
        message(WARNING "rsvg-convert (Debian: librsvg2-bin) not found: only the scalable icon "
                        "is installed")
    endif()
endif()

# --- Debian's per-package documents ---
add_custom_command(
    OUTPUT ${UE_INSTALLER_BUILD_DIR}/doc/changelog.gz
    COMMAND gzip -9nc ${UE_INSTALLER_DIR}/changelog > ${UE_INSTALLER_BUILD_DIR}/doc/changelog.gz
    DEPENDS ${UE_INSTALLER_DIR}/changelog
    VERBATIM)
add_custom_target(package_changelog ALL DEPENDS ${UE_INSTALLER_BUILD_DIR}/doc/changelog.gz)
install(FILES ${UE_INSTALLER_DIR}/copyright ${UE_INSTALLER_BUILD_DIR}/doc/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/uncertainty-explorer)

# --- CPack: one .deb, dependencies from dpkg-shlibdeps ---
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME uncertainty-explorer)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX ${UE_PACKAGE_PREFIX})
set(CPACK_PACKAGE_CONTACT
    "Seed c4cdcb73 maintainers <maintainers@users.noreply.h-seed-c4cdcb73.example>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "see how sure an image classifier is
Uncertainty Explorer runs a TorchScript image classifier over images many
times with its dropout kept on (Monte Carlo dropout) and shows, per image,
the distribution of each class's probability over the passes, the
uncertainty scores built on it and decision rules that may leave an image
unclassified; over a labelled set, accuracy, coverage, NLL, Brier score,
calibration, per-class thresholds, conformal prediction sets and
out-of-distribution detection.
.
This package holds the desktop app (uncertainty-explorer), the headless
command-line tool (uncertainty-cli), the engine benchmark
(uncertainty-bench), and a demo: Fashion-MNIST model bundles and sample
images.")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The bench's plain-PyTorch side and the model export example are Python.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3, python3-torch, python3-numpy")
# LibTorch runs its matrix products on whichever libblas.so.3 is installed; OpenBLAS makes Monte
# Carlo dropout heads several times faster than the reference BLAS.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-pthread")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
include(CPack)
